"""Lambda handlers: steps."""
