"""Lambda handlers: members."""
