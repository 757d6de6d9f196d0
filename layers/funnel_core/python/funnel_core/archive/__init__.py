"""The audit archive: events copied from the table's stream to S3."""
