"""A Content-Security-Policy source for an inline script or style: the SHA-256 of its text."""

from __future__ import annotations

import base64
import hashlib


def source_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"
