"""Lambda handlers: things."""
