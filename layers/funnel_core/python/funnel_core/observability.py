"""Logger, Tracer and Metrics, created once per container and shared by every handler."""

from __future__ import annotations

import warnings

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()

# Read handlers publish no business metric of their own; an empty flush is expected, not news.
warnings.filterwarnings("ignore", message="No application metrics to publish")
# A POST without an Idempotency-Key is an ordinary request, not a misconfiguration.
warnings.filterwarnings("ignore", message="No idempotency key value found")
