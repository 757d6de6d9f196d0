"""Lambda handlers: elements."""
