"""The ontology's models: request bodies, answers and stored records of its six dimensions."""
