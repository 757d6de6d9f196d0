"""Media elements: image, video, audio player, image gallery, background video.

Videos from YouTube, Vimeo and Wistia are a link with a play button until the visitor asks for
them (the page's script swaps in the player): no third-party frame slows the first paint, and
without JavaScript the link still leads to the video."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from funnel_core.pages.render.context import RenderContext
from funnel_core.pages.render.html import attrs, safe_url, tag, text, void

# An image without a size of its own reserves a 16:9 box; CSS keeps its real ratio once loaded.
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1200, 675
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def img(src: str, alt: str, context: RenderContext, width: int | None = None, height: int | None = None) -> str:
    """An <img> with its size and loading chosen by its place on the page; '' for a bad URL."""
    url = safe_url(src)
    if url is None:
        return ""
    size = {"width": width or DEFAULT_WIDTH, "height": height or DEFAULT_HEIGHT}
    return void("img", src=url, alt=alt, **size, decoding="async", **context.image_loading())


def image(settings: dict[str, Any], context: RenderContext) -> str:
    picture = img(settings["src"], settings["alt"], context, settings.get("width"), settings.get("height"))
    link = safe_url(settings.get("linkUrl"))
    return f"<a{attrs(href=link)}>{picture}</a>" if link and picture else picture


def embed_url(provider: str, url: str) -> str | None:
    """The player URL of a video on a known provider; None when the URL names no video."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    video_id: str | None = None
    if provider == "youtube":
        if parts.hostname and parts.hostname.endswith("youtu.be"):
            video_id = segments[0] if segments else None
        elif len(segments) > 1 and segments[0] in ("embed", "shorts", "live"):
            video_id = segments[1]
        else:
            video_id = next(iter(parse_qs(parts.query).get("v", [])), None)
        template = "https://www.youtube-nocookie.com/embed/{}?autoplay=1"
    elif provider == "vimeo":
        video_id = next((segment for segment in reversed(segments) if segment.isdigit()), None)
        template = "https://player.vimeo.com/video/{}?autoplay=1"
    elif provider == "wistia":
        video_id = segments[-1] if segments else None
        template = "https://fast.wistia.net/embed/iframe/{}?autoPlay=true"
    else:
        return None
    if video_id is None or not _VIDEO_ID.match(video_id):
        return None
    return template.format(video_id)


def video(settings: dict[str, Any], context: RenderContext) -> str:
    url = safe_url(settings["url"])
    if url is None:
        return ""
    poster = safe_url(settings.get("thumbnailUrl"))
    if settings["provider"] == "custom":
        flags = {
            "controls": settings.get("controls", True),
            "autoplay": settings.get("autoplay", False),
            "muted": settings.get("muted", False),
        }
        return f"<video{attrs(src=url, poster=poster, preload='none', playsinline=True, **flags)}></video>"
    player = embed_url(settings["provider"], url)
    if player is None:
        return tag("a", "Watch the video", href=url, cls="btn")
    context.use("video")
    context.frame_origins.add(f"https://{urlsplit(player).hostname}")
    thumbnail = img(poster, "", context) if poster else ""
    label = f"Play the video ({settings['provider']})"
    play = '<span class="play" aria-hidden="true"></span>'
    return f"<a{attrs(href=url, cls='video', data_embed=player, aria_label=label)}>{thumbnail}{play}</a>"


def audio_player(settings: dict[str, Any], context: RenderContext) -> str:
    url = safe_url(settings["url"])
    if url is None:
        return ""
    title = settings.get("title")
    flags = attrs(src=url, controls=True, preload="none", loop=settings.get("loop", False), aria_label=title or "Audio")
    player = f"<audio{flags}></audio>"
    caption = tag("figcaption", text(title)) if title else ""
    download = tag("a", "Download the audio", href=url, download=True) if settings.get("showDownload") else ""
    return tag("figure", caption + player + download, cls="audio")


def image_gallery(settings: dict[str, Any], context: RenderContext) -> str:
    items = []
    for picture in settings["images"]:
        shown = img(picture["src"], picture["alt"], context)
        if settings.get("lightbox", True) and shown:
            shown = f"<a{attrs(href=safe_url(picture['src']))}>{shown}</a>"
        caption = tag("figcaption", text(picture["caption"])) if picture.get("caption") else ""
        items.append(tag("li", tag("figure", shown + caption)))
    context.style("", **{"--cols": int(settings.get("columns", 3))})
    return tag("ul", "".join(items), cls=f"gallery g-{settings.get('layout', 'grid')}")


def background_video(settings: dict[str, Any], context: RenderContext) -> str:
    url = safe_url(settings["url"])
    if url is None:
        return ""
    poster = safe_url(settings.get("posterUrl"))
    flags = {"autoplay": True, "muted": True, "playsinline": True, "loop": settings.get("loop", True)}
    player = f"<video{attrs(src=url, poster=poster, aria_hidden='true', **flags)}></video>"
    context.style(" .overlay", background=settings.get("overlayColor"), opacity=settings.get("overlayOpacity", 0))
    return player + '<div class="overlay"></div>'


RENDERERS = {
    "image": image,
    "video": video,
    "audio_player": audio_player,
    "image_gallery": image_gallery,
    "background_video": background_video,
}
