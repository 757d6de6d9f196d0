"""Opaque, signed pagination cursors.

A cursor carries DynamoDB's LastEvaluatedKey and is signed with HMAC over that key and a
binding (the caller and the exact query that produced it). A cursor from another query or
another caller, or an edited one, fails verification, so it can never move a Query into
another tenant's partition.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from funnel_core.errors import BadRequest
from funnel_core.signing import signing_key

_SIGNATURE_BYTES = 16


def _sign(payload: bytes, binding: str) -> bytes:
    message = payload + b"\x00" + binding.encode()
    return hmac.new(signing_key(), message, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def encode_cursor(last_evaluated_key: dict[str, Any] | None, binding: str) -> str | None:
    if not last_evaluated_key:
        return None
    payload = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    token = _sign(payload, binding) + payload
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def decode_cursor(cursor: str | None, binding: str) -> dict[str, Any] | None:
    if not cursor:
        return None
    invalid = BadRequest("cursor is not valid for this query", [])
    try:
        token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except ValueError:
        raise invalid from None
    signature, payload = token[:_SIGNATURE_BYTES], token[_SIGNATURE_BYTES:]
    if len(signature) != _SIGNATURE_BYTES or not hmac.compare_digest(signature, _sign(payload, binding)):
        raise invalid
    try:
        key = json.loads(payload)
    except ValueError:
        raise invalid from None
    if not isinstance(key, dict):
        raise invalid
    return key
