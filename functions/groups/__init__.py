"""Lambda handlers: groups."""
