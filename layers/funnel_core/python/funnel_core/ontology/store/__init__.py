"""The ontology's reads and writes, one module per aggregate, in the terms its rules speak."""
