"""The ontology: groups, people and their roles, things, connections, the audit trail's listing,
knowledge. The base every other area builds on; it imports none of them.

Each dimension has its models (``models/``), its reads and writes (``store/``, internal to the
area) and its rules (a module here with the container's ``service()``). ``access`` is the
authorization every area uses; ``foreign`` is how another area's things (funnels, their steps and
elements) appear on the generic thing and connection routes.
"""
