"""Lambda handlers: group users assigned to funnels."""
