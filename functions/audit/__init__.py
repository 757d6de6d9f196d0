"""Lambda handlers: audit."""
