"""Lambda handlers: connections."""
