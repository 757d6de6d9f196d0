"""Form tokens: each page a visitor gets carries one, signed, naming the step and when the page
was served. A post must bring it back: a forged or foreign token is refused, one posted sooner
than a person could fill the form marks the post as spam, and since each token is unique a
double click or a replay of the same post is recognized and written once."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from funnel_core.signing import seal, unseal

PURPOSE = "form-token"
# A person takes longer than this to read a page and fill a form; a bot posts at once.
MIN_FILL_SECONDS = 3
# A page left open over a weekend may still be posted.
MAX_AGE_SECONDS = 72 * 3600
_MAX_TOKEN = 200


@dataclass(frozen=True)
class FormToken:
    step_id: str
    issued_ms: int
    nonce: str

    def age_seconds(self, now_ms: int | None = None) -> float:
        return ((now_ms if now_ms is not None else int(time.time() * 1000)) - self.issued_ms) / 1000


def issue(step_id: str, now_ms: int | None = None) -> str:
    issued = now_ms if now_ms is not None else int(time.time() * 1000)
    return seal(PURPOSE, f"{step_id}.{issued}.{secrets.token_urlsafe(12)}".encode())


def read(token: str) -> FormToken | None:
    """The token's content if this stack signed it; None for anything forged or malformed."""
    payload = unseal(PURPOSE, token, _MAX_TOKEN)
    if payload is None:
        return None
    try:
        step_id, issued, nonce = payload.decode().split(".")
        return FormToken(step_id, int(issued), nonce)
    except (ValueError, UnicodeDecodeError):
        return None
