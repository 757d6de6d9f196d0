"""Who is visiting: a first-party visitor id kept in a cookie for a year (none for a visitor who
asks not to be tracked, by ``Sec-GPC: 1`` or ``DNT: 1``), whether the user agent is a known
crawler, and the device class."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import cache
from http.cookies import CookieError, SimpleCookie

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from funnel_core.settings import get_settings

COOKIE = "fvid"
ONE_YEAR = 365 * 24 * 3600
_VISITOR_ID = re.compile(r"^vis_[A-Za-z0-9_-]{22}$")
_TABLET = re.compile(r"iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)", re.IGNORECASE)
_MOBILE = re.compile(r"Mobi|iPhone|iPod|Android.*Mobile|Windows Phone", re.IGNORECASE)
MAX_USER_AGENT = 512


@dataclass(frozen=True)
class Visitor:
    visitor_id: str
    persistent: bool  # False: a visitor who asked not to be tracked gets an id for this request only
    new: bool  # the cookie must be set


def _new_id() -> str:
    return f"vis_{secrets.token_urlsafe(16)}"


def cookie_value(cookie_header: str | None) -> str | None:
    if not cookie_header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None and _VISITOR_ID.match(morsel.value) else None


def declines_tracking(headers: dict[str, str]) -> bool:
    return headers.get("sec-gpc", "").strip() == "1" or headers.get("dnt", "").strip() == "1"


def identify(headers: dict[str, str], cookies: list[str] | None = None) -> Visitor:
    """The visitor of a request: their cookie's id, a new one, or for a visitor who declines
    tracking an id that lasts this request only (they are still counted as a view)."""
    if declines_tracking(headers):
        return Visitor(_new_id(), persistent=False, new=False)
    given = next((value for value in map(cookie_value, [*(cookies or []), headers.get("cookie")]) if value), None)
    if given:
        return Visitor(given, persistent=True, new=False)
    return Visitor(_new_id(), persistent=True, new=True)


def visitor_cookie(visitor: Visitor) -> Cookie | None:
    """The cookie that keeps a new visitor's id for a year; None when there is nothing to set."""
    if not (visitor.new and visitor.persistent):
        return None
    return Cookie(
        name=COOKIE,
        value=visitor.visitor_id,
        path="/",
        secure=get_settings().secure_cookies,
        http_only=True,
        max_age=ONE_YEAR,
        same_site=SameSite.LAX_MODE,
    )


@cache
def _crawlers() -> object:
    # The maintained list of crawler patterns (PyPI ``crawler-user-agents``), compiled once per container.
    import crawleruseragents

    return crawleruseragents


def is_bot(user_agent: str | None) -> bool:
    if not user_agent:
        return True  # browsers always send one
    module = _crawlers()
    return bool(module.is_crawler(user_agent[:MAX_USER_AGENT]))  # type: ignore[attr-defined]


def device_class(user_agent: str | None) -> str:
    agent = user_agent or ""
    if _TABLET.search(agent):
        return "tablet"
    return "mobile" if _MOBILE.search(agent) else "desktop"
