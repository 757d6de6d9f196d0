"""Shared library of the funnel-builder backend, deployed as the funnel_core Lambda layer.

Business areas, each with its models, its keys, its stores (internal to it) and its rules:

- ``ontology``: groups, members and roles (``access``), things, connections, the audit trail's
  listing, knowledge. It imports no other area.
- ``builder``: funnels, their steps and elements, publishing, templates, copies, assignees.

Plumbing beside them: ``store`` (the table core and ``change``, the one way to write),
``audit`` (the trail's events and their archive), ``http`` (the resolver, error mapping, the
handler), ``models`` (shapes every area shares), ``caller``, ``errors``, ``ids``,
``settings``, ``validation``, ``observability``, ``container``.
"""

import gc

# A cold start allocates a few hundred thousand long-lived objects (boto3's service models,
# pydantic's schemas) and little garbage. At the default thresholds the collector runs dozens
# of times during it, each full pass walking everything allocated so far; it collects rarely
# until the container has started (``container.started``), which restores the defaults with
# the start's objects frozen out of every later pass.
gc.set_threshold(100_000, 50, 100)
