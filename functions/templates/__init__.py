"""Lambda handlers: funnel and page templates."""
