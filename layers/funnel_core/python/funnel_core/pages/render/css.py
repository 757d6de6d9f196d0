"""The page's stylesheet, inline in its head (no external CSS): the base rules every page shares,
the palette from the funnel's branding and the step's colour scheme, the step's background and
custom CSS, and each element's styling and layout box."""

from __future__ import annotations

from typing import Any

from funnel_core.pages.render.colors import normalized, readable_on
from funnel_core.pages.render.context import Palette
from funnel_core.pages.render.html import safe_url

CANVAS_WIDTH = 1920
SYSTEM_FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'

BASE = (
    "*,*::before,*::after{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%}"
    "body{margin:0;font:1.0625rem/1.6 var(--f);color:var(--t);background:var(--bg)}"
    "img,video{max-width:100%;height:auto;display:block}"
    "iframe{width:100%;aspect-ratio:16/9;border:0;display:block}"
    "a{color:var(--l)}"
    ":focus-visible{outline:3px solid var(--t);outline-offset:2px;box-shadow:0 0 0 5px var(--bg)}"
    "h1,h2,h3{line-height:1.2;margin:.5em 0}h1{font-size:clamp(1.9rem,4vw,2.8rem)}"
    "h2{font-size:clamp(1.4rem,3vw,1.9rem)}.sub{font-weight:500}.small{font-size:1rem}"
    ".a-left{text-align:left}.a-center{text-align:center}.a-right{text-align:right}.a-justify{text-align:justify}"
    ".skip{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:var(--bg);color:var(--t)}"
    ".skip:focus{left:1rem;z-index:20}"
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}"
    ".site{padding:1rem;text-align:center}.site img{display:inline-block;height:40px;width:auto}"
    "main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}"
    ".l-two_column main,.l-asymmetric main{max-width:72rem}"
    "@media (min-width:900px){.l-two_column .content,.l-asymmetric .content{display:grid;gap:1rem 2.5rem;"
    "grid-template-columns:1fr 1fr;align-items:start}.l-asymmetric .content{grid-template-columns:3fr 2fr}"
    ".content>.el-headline,.content>.el-subheadline,.content>.el-limited-offer-banner,.content>.el-progress-bar,"
    ".content>.el-pricing-table,.content>.el-faq-accordion,.content>.el-tabs{grid-column:1/-1}}"
    ".el{margin:0 0 1.25rem}"
    ".bullets{padding-left:0;list-style:none}.bullets li{position:relative;padding-left:1.75rem;margin:.4rem 0}"
    ".bullets li::before{position:absolute;left:0;color:var(--a)}.i-check li::before{content:'✓'}"
    ".i-dot li::before{content:'•'}.i-arrow li::before{content:'→'}.i-star li::before{content:'★'}"
    "ol.bullets{list-style:decimal;padding-left:1.5rem}ol.bullets li{padding-left:.25rem}ol.bullets li::before{content:none}"
    "blockquote{margin:0;font-style:italic}figure{margin:0}figcaption{margin-top:.5rem}"
    ".btn{display:inline-block;padding:.85rem 1.6rem;border:2px solid var(--p);border-radius:.5rem;"
    "background:var(--p);color:var(--on-p);font:inherit;font-weight:700;text-decoration:none;cursor:pointer;"
    "text-align:center}.btn-block{display:block;width:100%}.btn:hover{filter:brightness(1.08)}"
    ".btn-quiet{background:transparent;color:var(--l);border-color:currentColor}.btn-off{opacity:.6;cursor:default}"
    ".btn:disabled{opacity:.7;cursor:progress}"
    ".btn-link{background:none;border:0;padding:.75rem;color:var(--l);font:inherit;text-decoration:underline;cursor:pointer}"
    ".pay-error:empty{display:none}.pay-error{font-weight:600;margin:.75rem 0}"
    ".field{margin:0 0 1rem}.field label,legend{display:block;font-weight:600;margin-bottom:.3rem}"
    "input,select,textarea{width:100%;padding:.7rem .8rem;border:1px solid #6b7280;border-radius:.4rem;"
    "font:inherit;color:#111827;background:#fff}"
    ".check{display:flex;gap:.6rem;align-items:flex-start}.check input,.choice input,.bump input{width:auto;margin-top:.3rem}"
    ".check label{font-weight:400}.choice{display:flex;gap:.5rem;align-items:center}.choice label{font-weight:400;margin:0}"
    "fieldset{border:0;padding:0;margin:0 0 1rem}.r-horizontal{display:flex;flex-wrap:wrap;gap:1rem}"
    ".req{color:#b91c1c}.error{color:#b91c1c;font-weight:600;margin:.3rem 0 0}"
    "[aria-invalid=true]{border-color:#b91c1c;border-width:2px}"
    ".alert{border:2px solid #b91c1c;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem;color:#7f1d1d;background:#fef2f2}"
    ".hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}"
    ".row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}.muted{opacity:.85;font-size:.92rem}"
    ".card{border:1px solid rgba(127,127,127,.35);border-radius:.75rem;padding:1.25rem;background:var(--bg)}"
    ".testimonial .who{display:flex;flex-direction:column}.testimonial figcaption{display:flex;gap:.75rem;align-items:center}"
    ".testimonial figcaption img{width:48px;height:48px;border-radius:50%}.stars{color:#b45309;letter-spacing:.1em}"
    ".plans{list-style:none;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr))}"
    ".plan{border:1px solid rgba(127,127,127,.35);border-radius:.75rem;padding:1.25rem;display:flex;flex-direction:column}"
    ".plan.hi{border:3px solid var(--p)}.plan .btn{margin-top:auto}"
    ".price{font-size:1.5rem;font-weight:800;margin:.25rem 0}.price small{font-size:.9rem;font-weight:400}"
    ".features{list-style:none;padding:0;margin:0 0 1rem}.features li{margin:.3rem 0}"
    ".features .yes::before{content:'✓ ';color:#15803d}.features .no{opacity:.7}.features .no::before{content:'✗ '}"
    ".product{display:grid;gap:1rem}@media (min-width:700px){.product{grid-template-columns:1fr 1.4fr;align-items:center}}"
    ".cart table{width:100%;border-collapse:collapse}.cart caption{text-align:left;font-weight:700;margin-bottom:.5rem}"
    ".cart th,.cart td{padding:.4rem 0;border-top:1px solid rgba(127,127,127,.35);text-align:left}.cart td{text-align:right}"
    ".bump{border:2px dashed var(--a);display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem}.bump p{grid-column:2;margin:0}"
    ".coupon input{flex:1;min-width:10rem}"
    ".badges{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem;justify-content:center}"
    ".badges img{height:48px;width:auto}.gray img{filter:grayscale(1)}"
    ".gallery{list-style:none;padding:0;display:grid;gap:.75rem;grid-template-columns:repeat(var(--cols,3),1fr)}"
    ".g-carousel{display:flex;overflow-x:auto;scroll-snap-type:x mandatory}.g-carousel li{flex:0 0 80%;scroll-snap-align:start}"
    ".ticker strong{font-size:1.4rem}.stock meter{width:100%;height:.8rem}"
    ".banner{padding:.6rem 2.5rem .6rem 1rem;text-align:center;background:var(--a);color:var(--on-a);position:relative;margin:0}"
    ".banner p{margin:0;font-weight:700}.banner.sticky.b-top{position:sticky;top:0;z-index:10}"
    ".banner.sticky.b-bottom{position:sticky;bottom:0;z-index:10}"
    ".x{position:absolute;right:.5rem;top:50%;transform:translateY(-50%);background:none;border:0;color:inherit;"
    "font-size:1.4rem;cursor:pointer;padding:0 .4rem}"
    ".countdown .clock{font-size:2rem;font-weight:800;font-variant-numeric:tabular-nums;display:block;text-align:center}"
    ".popup{max-width:32rem;border:0;border-radius:.75rem;padding:1.5rem;color:var(--t);background:var(--bg)}"
    ".popup::backdrop{background:rgba(0,0,0,.55)}"
    ".faq details{border-bottom:1px solid rgba(127,127,127,.35);padding:.75rem 0}"
    ".faq summary{cursor:pointer;font-weight:700}"
    ".tablist{display:flex;gap:.25rem;border-bottom:2px solid rgba(127,127,127,.35)}"
    ".tablist button{font:inherit;padding:.6rem 1rem;border:0;background:none;color:var(--t);cursor:pointer}"
    ".tablist [aria-selected=true]{border-bottom:3px solid var(--p);font-weight:700}"
    ".tabs:not(.js) .tablist,.tabs.js .tab-title{display:none}"
    ".track{height:.9rem;border-radius:1rem;background:rgba(127,127,127,.25);overflow:hidden}"
    ".fill{height:100%;background:var(--p)}"
    "@media (prefers-reduced-motion:no-preference){.anim{animation:grow 1s ease-out}"
    "@keyframes grow{from{transform:scaleX(0);transform-origin:left}}}"
    ".video{position:relative;display:block;aspect-ratio:16/9;background:#111;border-radius:.5rem;overflow:hidden}"
    ".video img{width:100%;height:100%;object-fit:cover}"
    ".play{position:absolute;inset:0;margin:auto;width:4.5rem;height:4.5rem;border-radius:50%;background:rgba(0,0,0,.7)}"
    ".play::after{content:'';position:absolute;left:1.8rem;top:1.35rem;border:1rem solid transparent;"
    "border-left:1.5rem solid #fff;border-right:0}"
    ".el-background-video{position:relative}.overlay{position:absolute;inset:0;pointer-events:none}"
    ".chat{position:fixed;bottom:1rem;z-index:15}.c-right{right:1rem}.c-left{left:1rem}"
    "video.bg{position:fixed;inset:0;width:100%;height:100%;object-fit:cover;z-index:-1}"
    "@media (max-width:599px){.hide-m{display:none}}"
    "@media (min-width:600px) and (max-width:1023px){.hide-t{display:none}}"
    "@media (min-width:1024px){.hide-d{display:none}}"
)


def _css_url(url: str | None) -> str | None:
    """A URL safe inside CSS ``url("...")``: checked again, and nothing that could leave the
    quotes or the style element."""
    checked = safe_url(url)
    if checked is None or any(char in checked for char in '"\\<>'):
        return None
    return f'url("{checked}")'


def palette_rules(palette: Palette, font_family: str | None) -> str:
    font = f"{font_family},{SYSTEM_FONTS}" if font_family else SYSTEM_FONTS
    return (
        f":root{{--p:{palette.primary};--on-p:{palette.on_primary};--t:{palette.text};--bg:{palette.background};"
        f"--a:{palette.accent};--on-a:{readable_on(palette.accent)};--l:{palette.link};--f:{font}}}"
    )


def background_rules(background: dict[str, Any] | None) -> str:
    if not background:
        return ""
    kind, value = background.get("type"), background.get("value")
    if kind == "image":
        url = _css_url(value)
        return f"body{{background-image:{url};background-size:cover;background-attachment:fixed}}" if url else ""
    if kind == "gradient" and isinstance(value, str) and value.endswith(")") and "<" not in value and ";" not in value:
        return f"body{{background-image:{value}}}"
    return ""


def _box(name: str, box: dict[str, Any] | None) -> str | None:
    if not box:
        return None
    sides = [int(box.get(side, 0)) for side in ("top", "right", "bottom", "left")]
    return f"{name}:{' '.join(f'{side}px' for side in sides)}"


def element_rules(dom_id: str, styling: dict[str, Any], layout: dict[str, Any] | None, page_background: str) -> str:
    """An element's own styling: spacing, colours (text kept readable on its background), border,
    font, and on a wide screen its layout box's width and offset on the 1920-wide canvas."""
    declarations = [d for d in (_box("margin", styling.get("margin")), _box("padding", styling.get("padding"))) if d]
    background = normalized(styling.get("backgroundColor"))
    if background:
        declarations.append(f"background:{background}")
    wanted_text = normalized(styling.get("textColor"))
    if wanted_text or background:
        declarations.append(f"color:{readable_on(background or page_background, wanted_text)}")
    if styling.get("borderWidth"):
        border = normalized(styling.get("borderColor")) or "currentColor"
        declarations.append(f"border:{int(styling['borderWidth'])}px solid {border}")
    if styling.get("borderRadius") is not None:
        declarations.append(f"border-radius:{int(styling['borderRadius'])}px")
    if styling.get("fontSize"):
        declarations.append(f"font-size:{int(styling['fontSize'])}px")
    if styling.get("fontWeight"):
        declarations.append(f"font-weight:{int(styling['fontWeight'])}")
    rules = f"#{dom_id}{{{';'.join(declarations)}}}" if declarations else ""
    if layout and layout.get("width"):
        offset = int(layout.get("x") or 0) * 100 / CANVAS_WIDTH
        width = int(layout["width"]) * 100 / CANVAS_WIDTH
        rules += f"@media (min-width:1024px){{#{dom_id}{{max-width:{width:.2f}%;margin-left:{offset:.2f}%}}}}"
    return rules
