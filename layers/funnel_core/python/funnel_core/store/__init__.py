"""The ontology store: the one place that knows how the single DynamoDB table is keyed.

``keys`` is the key design, ``ontology`` the reads and writes the domain may ask for,
``transaction`` the unit of work every write goes through. See docs/data-model.md.
"""
