"""Shared library of the funnel-builder backend, deployed as the funnel_core Lambda layer.

- ``store``: the ontology store, the one place that knows the DynamoDB key design.
- ``domain``: the business rules of groups, members, things, connections, events, knowledge,
  and of the funnel builder (funnels, steps, elements, publishing, templates, copies).
- ``auth``: who the caller is and what their role lets them do.
- ``models``: pydantic models of request bodies, responses and ``properties`` per thing type.
- ``http``: the Powertools resolver factory, error mapping, the handler wrapper.
- ``archive``: the audit archive written from the table's stream to S3.
- ``templates``: the system funnel and page templates, shipped as data and validated by ``models``.
"""
