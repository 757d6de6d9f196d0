"""``GET /openapi.json`` and ``GET /docs``: one OpenAPI document for the whole API, and Swagger UI.

Each function's module describes its own route through its Powertools resolver; Powertools'
``OpenAPIMerge`` joins them. Swagger UI is served from the ``swagger-ui-bundle`` package, so
the docs work offline and load nothing from a CDN.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import NotFound
from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

    from werkzeug.wrappers import Request

    from local.template import Route

log = logging.getLogger(__name__)

TITLE = "Funnel Builder API"
SECURITY_SCHEME = "bearerAuth"
OPENAPI_PATH = "/openapi.json"
DOCS_PATH = "/docs"
SWAGGER_UI_DIR = Path(str(swagger_ui_path))

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


def openapi_document(modules: Iterable[ModuleType], public_routes: Iterable[Route]) -> dict[str, Any]:
    """The merged document: every module's ``app.get_openapi_schema()``, a bearer JWT required
    everywhere except on the public routes."""
    merge = OpenAPIMerge(
        title=TITLE,
        security_schemes={SECURITY_SCHEME: HTTPBearer(bearerFormat="JWT")},
        security=[{SECURITY_SCHEME: []}],
    )
    for module in modules:
        app = getattr(module, "app", None)
        if hasattr(app, "get_openapi_schema"):
            merge.add_schema(app.get_openapi_schema())  # type: ignore[union-attr]
        else:
            log.warning("%s has no Powertools resolver named app; its route is not documented", module.__name__)
    document: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    paths = document.get("paths", {})
    for route in public_routes:
        operation = paths.get(route.path, {}).get(route.method.lower())
        if operation is not None:
            operation["security"] = []
    return document


def docs_page() -> Response:
    return Response(_DOCS_PAGE, content_type="text/html; charset=utf-8")


def docs_asset(request: Request, name: str) -> Response | None:
    """A file of the Swagger UI bundle, or None; ``send_from_directory`` refuses names that leave the folder."""
    try:
        return send_from_directory(SWAGGER_UI_DIR, name, request.environ)
    except NotFound:
        return None
