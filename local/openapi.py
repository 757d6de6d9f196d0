"""The OpenAPI document of the whole API, generated from the handlers: ``docs/openapi.json``.

Each function's module describes its own route through its Powertools resolver (its summary,
its area's tag, its request and answer models, its success status); Powertools' ``OpenAPIMerge``
joins them. On top of that, the document says what Powertools cannot know:

- every operation's error answers, in the API's error body (the gateway's own ``{"message"}``
  where API Gateway answers for itself: a missing or bad token, throttling), instead of the
  framework's ``{detail}`` 422;
- an element's ``settings`` per ``elementType``, one variant per type;
- the bearer scheme: Cognito's ID tokens on AWS; locally HS256 with ``LOCAL_JWT_SECRET``, issuer
  ``local`` and audience ``funnel-builder`` (``make token`` prints one).

``python -m local.openapi`` (``make openapi``) writes the document; a test fails when the
committed one drifts from what the handlers produce.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from local import REPO_ROOT

if TYPE_CHECKING:
    from types import ModuleType

    from local.template import Route

log = logging.getLogger(__name__)

DOCUMENT_PATH = REPO_ROOT / "docs" / "openapi.json"
TITLE = "Funnel Builder API"
VERSION = "0.1.0"
SECURITY_SCHEME = "bearerAuth"
_SCHEMAS = "#/components/schemas/"
DESCRIPTION = """The serverless backend of a sales-funnel builder: groups and their members, the
generic ontology (things, connections, events, knowledge), and the funnel builder (funnels,
steps, elements, publishing with versions and rollback, templates).

Every error answers `{"error": {"code", "message", "fields": [{"field", "message"}]}}`; `fields`
name each bad field on a 400 or 422. Lists take `limit` (1-100) and an opaque `cursor`, valid only
for the caller and the query that produced it.
"""
SECURITY_DESCRIPTION = """A JWT in `Authorization: Bearer <token>`, checked by API Gateway's JWT
authorizer: on AWS an ID token of the stack's Cognito user pool (or of `JwtIssuer` for
`JwtAudience`). Locally (`make dev`): HS256 signed with `LOCAL_JWT_SECRET` (default
`local-dev-secret`), with issuer `local` and audience `funnel-builder`, as the authorizer checks
them; `make token USER=<sub> GROUPS=<group,...>` prints one."""
TAGS = [
    {"name": "Ontology", "description": "Groups, members and roles; things, connections, the audit trail, knowledge."},
    {"name": "Funnel builder", "description": "Funnels, steps and elements; publishing; templates; assignees."},
    {
        "name": "Commerce",
        "description": "Selling on the funnels: the group's Stripe account, checkout, upsells and Stripe's webhooks.",
    },
    {
        "name": "Public pages",
        "description": "What visitors reach without a token: the live pages (HTML), their view beacon and forms.",
    },
]
# What each error status means on this API, and whether API Gateway may answer it itself.
ERRORS: dict[int, tuple[str, str, bool]] = {
    400: ("BadRequest", "Malformed JSON, a bad path or query parameter, a cursor not valid for this query", False),
    401: ("Unauthenticated", "No token, or a token that is not valid (answered by API Gateway's authorizer)", True),
    403: ("Forbidden", "Your role in the group does not allow this", False),
    404: ("NotFound", "No such item, or none you may know of (a group you hold no role in is not found)", False),
    409: ("Conflict", "A version conflict, a duplicate, a concurrent change, or an archived group", False),
    413: ("PayloadTooLarge", "The body or a value in it is too large", False),
    415: ("UnsupportedMediaType", "The body is not JSON", False),
    422: ("ValidationFailed", "A field is not valid; each is named", False),
    429: ("TooManyRequests", "Too many requests (API Gateway's throttling)", True),
    503: (
        "Busy",
        "The table is at its throughput for these items: nothing was written; retry after Retry-After",
        False,
    ),
}


def handler_modules(routes: Iterable[Route]) -> list[ModuleType]:
    """Every route's handler module, imported into this process (functions/ and the layer on
    ``sys.path``, as pytest and the local stack have them)."""
    from local.lambda_runtime import LambdaFunction

    seen: dict[str, ModuleType] = {}
    for route in routes:
        if route.function_logical_id not in seen:
            seen[route.function_logical_id] = LambdaFunction(route.function).module()
    return list(seen.values())


def openapi_document(modules: Iterable[ModuleType], public_routes: Iterable[Route] = ()) -> dict[str, Any]:
    """The merged document of ``modules``' resolvers, completed as the module docstring says."""
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    merge = OpenAPIMerge(
        title=TITLE,
        version=VERSION,
        description=DESCRIPTION,
        security_schemes={SECURITY_SCHEME: HTTPBearer(bearerFormat="JWT", description=SECURITY_DESCRIPTION)},
        security=[{SECURITY_SCHEME: []}],
    )
    for module in modules:
        app = getattr(module, "app", None)
        if hasattr(app, "get_openapi_schema"):
            merge.add_schema(app.get_openapi_schema())  # type: ignore[union-attr]
        else:
            log.warning("%s has no Powertools resolver named app; its route is not documented", module.__name__)
    document: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    document["tags"] = TAGS
    public = [(route.path, route.method.lower()) for route in public_routes]
    _error_answers(document, public)
    _element_settings_by_type(document)
    for path, method in public:
        operation = document.get("paths", {}).get(path, {}).get(method)
        if operation is not None:
            operation["security"] = []
    return _sorted(document)


def _error_answers(document: dict[str, Any], public: list[tuple[str, str]]) -> None:
    """Every API route answers the API's error body; a public route documents its own answers
    (HTML pages for visitors), and API Gateway's throttling."""
    from funnel_core.models.common import ErrorBody

    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(name, None)
    error_schema = ErrorBody.model_json_schema(ref_template=_SCHEMAS + "{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorBody"] = error_schema
    schemas["GatewayError"] = {
        "title": "GatewayError",
        "description": "What API Gateway answers by itself (a refused token, throttling).",
        "type": "object",
        "properties": {"message": {"type": "string"}},
        "required": ["message"],
    }
    body = {"$ref": f"{_SCHEMAS}ErrorBody"}
    either = {"anyOf": [body, {"$ref": f"{_SCHEMAS}GatewayError"}]}
    answers = document["components"].setdefault("responses", {})
    for name, meaning, gateway in ERRORS.values():
        answers[name] = {
            "description": meaning,
            "content": {"application/json": {"schema": either if gateway else body}},
        }
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if (path, method) in public:
                if "422" in responses:  # Powertools' own, in its shape: the API's error body instead
                    responses["422"] = {"$ref": "#/components/responses/ValidationFailed"}
                responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
                responses["503"] = {"$ref": "#/components/responses/Busy"}
                continue
            for status in [code for code in responses if code.isdigit() and int(code) >= 400]:
                del responses[status]  # Powertools' own 422 and 500, in its shapes
            if "204" in responses:
                responses["204"] = {"description": "Done; nothing to answer"}
            for status, (name, _, _) in ERRORS.items():
                responses[str(status)] = {"$ref": f"#/components/responses/{name}"}


def _element_settings_by_type(document: dict[str, Any]) -> None:
    """``ElementCreate`` as one variant per element type, each with its own ``settings``."""
    from pydantic.json_schema import models_json_schema

    from funnel_core.builder.models.elements import SETTINGS_MODELS

    schemas = document.get("components", {}).get("schemas", {})
    create = schemas.get("ElementCreate")
    if create is None:
        return
    models = sorted(SETTINGS_MODELS.items())
    refs, definitions = models_json_schema(
        [(model, "validation") for _, model in models], ref_template=_SCHEMAS + "{model}"
    )
    schemas.update(definitions.get("$defs", {}))
    variants, mapping = [], {}
    for element_type, model in models:
        name = f"{model.__name__.removesuffix('Settings')}Element"
        properties = {**create["properties"], "elementType": {"const": element_type.value, "type": "string"}}
        properties["settings"] = refs[(model, "validation")]
        description = f"An element of type {element_type.value}."
        schemas[name] = {**create, "title": name, "description": description, "properties": properties}
        variants.append({"$ref": f"{_SCHEMAS}{name}"})
        mapping[element_type.value] = f"{_SCHEMAS}{name}"
    schemas["ElementCreate"] = {
        "title": "ElementCreate",
        "description": "An element to add: its elementType decides what its settings are.",
        "oneOf": variants,
        "discriminator": {"propertyName": "elementType", "mapping": mapping},
    }


def _sorted(value: Any) -> Any:
    """Components in name order, so the committed document diffs cleanly."""
    if isinstance(value, dict):
        schemas = value.get("components", {}).get("schemas")
        if schemas is not None:
            value["components"]["schemas"] = dict(sorted(schemas.items()))
    return value


def build() -> dict[str, Any]:
    """The document of every route in template.yaml."""
    from local.template import http_routes

    routes = http_routes()
    return openapi_document(handler_modules(routes), [route for route in routes if route.public])


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    DOCUMENT_PATH.write_text(render(build()), encoding="utf-8")
    print(f"wrote {DOCUMENT_PATH.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
