"""Lambda handlers: funnels."""
