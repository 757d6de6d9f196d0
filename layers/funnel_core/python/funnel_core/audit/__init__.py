"""The audit trail: every change records its events in its own transaction (``store.change``);
they are listed per group (``trail``) and archived from the table's stream to S3 (``archive``)."""
