"""The HTTP edge: resolver factory, request context, error mapping and the handler wrapper."""
