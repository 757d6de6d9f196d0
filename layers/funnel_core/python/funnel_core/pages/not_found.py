"""The page a visitor gets for a URL with no live page: small, designed, in HTML (never JSON,
never a trace), with its own CSP."""

from __future__ import annotations

from html import escape

from funnel_core.pages.csp import source_hash

STYLE = (
    "body{margin:0;min-height:100vh;display:grid;place-items:center;font:1.0625rem/1.6 system-ui,-apple-system,"
    '"Segoe UI",Roboto,Arial,sans-serif;color:#0f172a;background:#f8fafc}'
    "main{max-width:32rem;padding:2rem;text-align:center}h1{font-size:2rem;margin:.25rem 0}"
    "p{color:#334155}.code{font-size:.9rem;letter-spacing:.2em;color:#475569}"
)
HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<meta name="robots" content="noindex"><title>Page not found</title>'
    f"<style>{STYLE}</style></head><body><main>"
    '<p class="code">404</p><h1>This page is not available</h1>'
    "<p>The link may be mistyped, or the page is no longer published.</p>"
    "</main></body></html>"
)
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {source_hash(STYLE)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def notice(status: int, heading: str, message: str, back: str | None = None) -> str:
    """A page of the same design telling a visitor what went wrong with what they sent (a
    hosted checkout's form post), with a link back to the page they came from."""
    link = f'<p><a href="{escape(back, quote=True)}">Back to the order page</a></p>' if back else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{escape(heading)}</title>'
        f"<style>{STYLE}</style></head><body><main>"
        f'<p class="code">{status}</p><h1>{escape(heading)}</h1><p>{escape(message)}</p>{link}'
        "</main></body></html>"
    )
