"""The table core every area's store is made of.

``table`` (get, batch get, paged query, batch write), ``change`` (the one way to write: a
change's items, conditions and audit events in one transaction), ``transaction`` (what a
refused condition stands for), ``paging`` and ``cursor`` (signed cursors bound to the caller
and the query), ``tenancy`` (the group item every key starts from) and ``keyspace`` (which area
owns which prefixes). See docs/data-model.md.
"""
