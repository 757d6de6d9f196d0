"""The stack's HMAC key (a generated secret on AWS, the environment locally), fetched once per
container, and signatures made with it for one purpose at a time, so a signature made for one
use (a list cursor) is never valid for another (a form token)."""

from __future__ import annotations

import hashlib
import hmac

from funnel_core.container import once
from funnel_core.settings import get_settings


@once
def signing_key() -> bytes:
    settings = get_settings()
    if settings.cursor_secret:
        return settings.cursor_secret.encode()
    if settings.cursor_secret_arn:
        from aws_lambda_powertools.utilities import parameters

        return str(parameters.get_secret(settings.cursor_secret_arn, max_age=3600)).encode()
    raise RuntimeError("CURSOR_SECRET or CURSOR_SECRET_ARN must be set")


def signature(purpose: str, message: bytes, size: int = 16) -> bytes:
    return hmac.new(signing_key(), purpose.encode() + b"\x00" + message, hashlib.sha256).digest()[:size]
