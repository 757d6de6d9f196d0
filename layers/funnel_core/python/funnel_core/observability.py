"""Logger, Metrics and tracing, made once per container and shared by every handler.

Tracing is Powertools' Tracer (X-Ray) wherever it is on: on AWS, where each function has
``Tracing: Active``. Where it is off (locally, in tests: ``POWERTOOLS_TRACE_DISABLED``, or
outside Lambda) the X-Ray SDK is not imported at all: off Lambda its sampler builds two AWS
clients at import, over 200 ms of every cold start for nothing.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import TypeVar

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()

F = TypeVar("F", bound=Callable[..., object])

_TRUTHY = frozenset({"1", "true", "yes", "on", "y"})

# Read handlers publish no business metric of their own; an empty flush is expected, not news.
warnings.filterwarnings("ignore", message="No application metrics to publish")
# A POST without an Idempotency-Key is an ordinary request, not a misconfiguration.
warnings.filterwarnings("ignore", message="No idempotency key value found")


def tracing_on() -> bool:
    """As Powertools decides it: on in Lambda unless POWERTOOLS_TRACE_DISABLED says otherwise."""
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "").strip().lower() in _TRUTHY
    return not disabled and "AWS_LAMBDA_FUNCTION_NAME" in os.environ and "AWS_SAM_LOCAL" not in os.environ


def traced(handler: F) -> F:
    """``handler`` under Powertools' Tracer where tracing is on; as it is elsewhere."""
    if not tracing_on():
        return handler
    from aws_lambda_powertools import Tracer

    return Tracer().capture_lambda_handler(handler)  # type: ignore[return-value]
