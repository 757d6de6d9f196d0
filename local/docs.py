"""``GET /openapi.json`` and ``GET /docs``: the API's OpenAPI document, and Swagger UI on it.

The document is built from the handlers (``local.openapi``). Swagger UI is npm's
``swagger-ui-dist`` 5 (it renders OpenAPI 3.1, which the document is), unpacked under
``.local/swagger-ui`` and served from there, so the docs work offline and load nothing from a CDN.

CLI: ``python -m local.docs install``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from werkzeug.exceptions import NotFound
from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Response

from local import REPO_ROOT, npm
from local.openapi import TITLE

if TYPE_CHECKING:
    from pathlib import Path

    from werkzeug.wrappers import Request

OPENAPI_PATH = "/openapi.json"
DOCS_PATH = "/docs"
SWAGGER_UI_PACKAGE = "swagger-ui-dist@5.35.0"
SWAGGER_UI_DIR = REPO_ROOT / ".local" / "swagger-ui"
_MARKER = "swagger-ui-bundle.js"

_DOCS_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{TITLE}</title>
  <link rel="stylesheet" href="{DOCS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({{
      url: "{OPENAPI_PATH}",
      dom_id: "#swagger-ui",
      deepLinking: true,
      persistAuthorization: true,
    }});
  </script>
</body>
</html>
"""


def install(install_dir: Path = SWAGGER_UI_DIR) -> Path:
    """Swagger UI's files in ``install_dir``, fetched from npm unless they are there."""
    return npm.install(SWAGGER_UI_PACKAGE, install_dir, folder="package/", marker=_MARKER)


def docs_page() -> Response:
    return Response(_DOCS_PAGE, content_type="text/html; charset=utf-8")


def docs_asset(request: Request, name: str) -> Response | None:
    """A file of Swagger UI, or None; ``send_from_directory`` refuses names that leave the folder."""
    try:
        return send_from_directory(SWAGGER_UI_DIR, name, request.environ)
    except NotFound:
        return None


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        raise SystemExit("usage: python -m local.docs install")
    print(install())
