"""Form tokens: each page a visitor gets carries one, signed, naming the step and when the page
was served. A post must bring it back: a forged or foreign token is refused, one posted sooner
than a person could fill the form marks the post as spam, and since each token is unique a
double click or a replay of the same post is recognized and written once."""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import time
from dataclasses import dataclass

from funnel_core.signing import signature

PURPOSE = "form-token"
# A person takes longer than this to read a page and fill a form; a bot posts at once.
MIN_FILL_SECONDS = 3
# A page left open over a weekend may still be posted.
MAX_AGE_SECONDS = 72 * 3600
_MAX_TOKEN = 200


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class FormToken:
    step_id: str
    issued_ms: int
    nonce: str

    def age_seconds(self, now_ms: int | None = None) -> float:
        return ((now_ms if now_ms is not None else int(time.time() * 1000)) - self.issued_ms) / 1000


def issue(step_id: str, now_ms: int | None = None) -> str:
    issued = now_ms if now_ms is not None else int(time.time() * 1000)
    payload = f"{step_id}.{issued}.{_b64(os.urandom(12))}".encode()
    return f"{_b64(payload)}.{_b64(signature(PURPOSE, payload))}"


def read(token: str) -> FormToken | None:
    """The token's content if this stack signed it; None for anything forged or malformed."""
    if not token or len(token) > _MAX_TOKEN or token.count(".") != 1:
        return None
    encoded, signed = token.split(".")
    try:
        payload, given = _unb64(encoded), _unb64(signed)
        step_id, issued, nonce = payload.decode().split(".")
        issued_ms = int(issued)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(given, signature(PURPOSE, payload)):
        return None
    return FormToken(step_id, issued_ms, nonce)
