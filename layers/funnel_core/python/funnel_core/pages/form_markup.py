"""The names a page's form and its post agree on, apart from the renderer so that serving a page
(and reading a post) never imports it: the token field, its placeholder in the stored HTML
(filled per answer, outside any script or style), and the honeypot."""

from __future__ import annotations

FORM_TOKEN_PLACEHOLDER = "\x00form-token\x00"  # noqa: S105 (a placeholder, not a secret)
TOKEN_FIELD = "_token"  # noqa: S105 (a field name)
# A field people never see or fill (hidden off-screen, out of the tab order); bots fill every field.
HONEYPOT_FIELD = "website"
