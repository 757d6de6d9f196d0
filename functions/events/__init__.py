"""Lambda handlers: events."""
