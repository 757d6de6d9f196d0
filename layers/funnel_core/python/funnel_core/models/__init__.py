"""Pydantic models at every edge: request bodies, responses and stored records."""
