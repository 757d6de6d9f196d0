"""Writing HTML safely: every text a builder typed is escaped, every URL checked again."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

# The only schemes a published page links to; anything else (javascript:, data:, vbscript:) is
# dropped at render even if it ever got past the models.
_SAFE_SCHEMES = frozenset({"https"})


def text(value: object) -> str:
    """Text content: <, >, & and both quotes escaped."""
    return escape(str(value), quote=True)


def attrs(**values: object) -> str:
    """Attributes from keyword arguments: ``data_x`` is written ``data-x``, ``cls`` is ``class``,
    True is a bare attribute, False and None leave it out."""
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        attribute = "class" if name == "cls" else name.rstrip("_").replace("_", "-")
        parts.append(f" {attribute}" if value is True else f' {attribute}="{text(value)}"')
    return "".join(parts)


def tag(name: str, content: str = "", /, **values: object) -> str:
    return f"<{name}{attrs(**values)}>{content}</{name}>"


def void(name: str, /, **values: object) -> str:
    """An element without content or end tag: <input>, <img>, <meta>."""
    return f"<{name}{attrs(**values)}>"


def safe_url(url: object) -> str | None:
    """``url`` if a visitor may be sent there: an https:// URL with a host, or a path on this site
    ("/..." but not "//host" or "/\\host", which browsers read as another site). None otherwise."""
    if not isinstance(url, str) or not url or any(char.isspace() or ord(char) < 32 for char in url):
        return None
    if url.startswith("/"):
        return None if url.startswith(("//", "/\\")) or "\\" in url else url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in _SAFE_SCHEMES and parts.hostname else None


def paragraphs(value: str) -> str:
    """Plain text with blank lines as paragraph breaks and single newlines as line breaks."""
    blocks = [block.strip() for block in value.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{text(block).replace(chr(10), '<br>')}</p>" for block in blocks if block)
