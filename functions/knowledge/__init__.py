"""Lambda handlers: knowledge."""
