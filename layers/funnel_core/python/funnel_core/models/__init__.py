"""Shapes every area shares: the base models, ids and names, free-form JSON DynamoDB can hold, value types."""
