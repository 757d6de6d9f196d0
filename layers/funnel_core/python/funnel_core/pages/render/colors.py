"""Colours that stay readable: WCAG 2 contrast between a builder's colours, and the text colour
that reads on a given background."""

from __future__ import annotations

# WCAG AA for normal text.
MIN_CONTRAST = 4.5
BLACK, WHITE = "#000000", "#ffffff"


def _expand(color: str) -> str:
    digits = color.lstrip("#")
    return "".join(d * 2 for d in digits) if len(digits) == 3 else digits


def _luminance(color: str) -> float:
    digits = _expand(color)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(background: str, preferred: str | None = None) -> str:
    """``preferred`` when it reads on ``background`` (WCAG AA), else black or white, whichever
    reads better."""
    if preferred is not None and contrast(preferred, background) >= MIN_CONTRAST:
        return preferred
    return BLACK if contrast(BLACK, background) >= contrast(WHITE, background) else WHITE


def legible_accent(accent: str, background: str) -> str:
    """An accent colour used as text (links, prices) on ``background``: itself when legible,
    else the readable text colour."""
    return accent if contrast(accent, background) >= MIN_CONTRAST else readable_on(background)


def normalized(color: str | None) -> str | None:
    return None if color is None else "#" + _expand(color).lower()
