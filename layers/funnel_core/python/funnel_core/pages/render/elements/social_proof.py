"""Social proof elements: testimonial card, review stars, trust badges, social feed, customer ticker."""

from __future__ import annotations

from typing import Any

from funnel_core.pages.render.context import RenderContext
from funnel_core.pages.render.elements.media import img
from funnel_core.pages.render.html import paragraphs, safe_url, tag, text

_PLATFORMS = {
    "instagram": "Instagram",
    "facebook": "Facebook",
    "x": "X",
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
}


def stars(rating: float) -> str:
    """Five stars, filled to the rating, read out as "4.5 out of 5 stars"."""
    filled = round(rating)
    shown = "★" * filled + "☆" * (5 - filled)
    return f'<span class="stars" role="img" aria-label="{rating:g} out of 5 stars">{shown}</span>'


def testimonial_card(settings: dict[str, Any], context: RenderContext) -> str:
    avatar = img(settings["avatarUrl"], "", context, 64, 64) if settings.get("avatarUrl") else ""
    rating = stars(settings["rating"]) if settings.get("rating") else ""
    who = tag("strong", text(settings["authorName"]))
    if settings.get("authorTitle"):
        who += tag("span", text(settings["authorTitle"]), cls="muted")
    caption = tag("figcaption", avatar + tag("span", who, cls="who"))
    return tag("figure", rating + tag("blockquote", paragraphs(settings["quote"])) + caption, cls="card testimonial")


def review_stars(settings: dict[str, Any], context: RenderContext) -> str:
    context.style(" .stars", color=settings.get("starColor"))
    count = ""
    if settings.get("showCount", True) and settings.get("reviewCount") is not None:
        count = tag("span", text(f"({settings['reviewCount']:,} reviews)"), cls="muted")
    return tag("p", stars(float(settings["rating"])) + " " + count, cls="reviews")


def trust_badges(settings: dict[str, Any], context: RenderContext) -> str:
    title = tag("h2", text(settings["title"]), cls="small") if settings.get("title") else ""
    badges = "".join(tag("li", img(badge["src"], badge["alt"], context, 120, 60)) for badge in settings["badges"])
    classes = "badges gray" if settings.get("grayscale") else "badges"
    return title + tag("ul", badges, cls=classes)


def social_media_feed(settings: dict[str, Any], context: RenderContext) -> str:
    # A live feed needs the platform's script and the visitor's consent to its tracking; a page
    # links to the profile instead.
    platform = _PLATFORMS.get(settings["platform"], settings["platform"])
    url = safe_url(settings["profileUrl"])
    link = tag("a", text(f"Follow us on {platform}"), href=url, rel="noopener", cls="btn btn-quiet") if url else ""
    return tag("div", link, cls="social")


def customer_count_ticker(settings: dict[str, Any], context: RenderContext) -> str:
    count = int(settings["count"])
    if settings.get("animate", True):
        context.use("ticker")
    number = text(f"{settings.get('prefix') or ''}{count:,}{settings.get('suffix') or ''}")
    shown = tag("strong", number, data_count=count if settings.get("animate", True) else None)
    return tag("p", shown + " " + text(settings["label"]), cls="ticker")


RENDERERS = {
    "testimonial_card": testimonial_card,
    "review_stars": review_stars,
    "trust_badges": trust_badges,
    "social_media_feed": social_media_feed,
    "customer_count_ticker": customer_count_ticker,
}
