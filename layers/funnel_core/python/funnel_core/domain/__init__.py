"""Business rules, one module per part of the ontology. Handlers call these; these call the store."""
