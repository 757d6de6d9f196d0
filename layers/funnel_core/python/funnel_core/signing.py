"""The stack's HMAC key (a generated secret on AWS, the environment locally), fetched once per
container, and signatures made with it for one purpose at a time, so a signature made for one
use (a list cursor) is never valid for another (a form token)."""

from __future__ import annotations

import base64
import binascii
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


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def seal(purpose: str, payload: bytes) -> str:
    """``payload`` and its signature for ``purpose``, as URL-safe text: ``<payload>.<signature>``."""
    return f"{_b64(payload)}.{_b64(signature(purpose, payload))}"


def unseal(purpose: str, sealed: str | None, max_length: int) -> bytes | None:
    """The payload of what ``seal`` made for ``purpose``; None for anything forged, malformed,
    made for another purpose or longer than ``max_length``."""
    if not sealed or len(sealed) > max_length or sealed.count(".") != 1:
        return None
    encoded, signed = sealed.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        given = base64.urlsafe_b64decode(signed + "=" * (-len(signed) % 4))
    except (binascii.Error, ValueError):
        return None
    return payload if hmac.compare_digest(given, signature(purpose, payload)) else None
