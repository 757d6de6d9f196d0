"""Search: the table's text and knowledge, embedded and indexed in OpenSearch, found by words,
by meaning or both (docs/search.md)."""
