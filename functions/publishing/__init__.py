"""Lambda handlers: publishing and versions of funnels."""
