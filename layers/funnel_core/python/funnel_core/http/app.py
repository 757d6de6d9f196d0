"""The resolver every function uses, and the Lambda handler around it.

A function module is a few lines::

    app = create_app(ONTOLOGY)

    @app.get("/groups/<groupId>", summary="Read a group")
    def get_group(groupId: GroupId) -> Group:
        return groups.service().get(current_caller(app), groupId)

    lambda_handler = make_handler(app)
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from funnel_core import container
from funnel_core.caller import Caller, caller_from_claims
from funnel_core.container import once
from funnel_core.errors import DomainError, FieldProblem
from funnel_core.http import body
from funnel_core.http.errors import error_result, register_error_handlers
from funnel_core.observability import logger, metrics, traced
from funnel_core.settings import get_settings

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]

# One OpenAPI tag per business area.
ONTOLOGY = "Ontology"
BUILDER = "Funnel builder"
PUBLIC = "Public pages"
COMMERCE = "Commerce"

IDEMPOTENCY_HEADER = "idempotency-key"
_IDEMPOTENCY_KEY_MAX = 255
# No header, no idempotency: ``&&`` yields null and Powertools skips the request. With the
# header, the key is scoped to the caller and the route so two callers never share one.
_IDEMPOTENCY_KEY_PATH = (
    f'headers."{IDEMPOTENCY_HEADER}" && [requestContext.authorizer.jwt.claims.sub, requestContext.routeKey, '
    f'rawPath, headers."{IDEMPOTENCY_HEADER}"]'
)
_JSON_TYPES = frozenset({"application/json"})
FORM_TYPE = "application/x-www-form-urlencoded"
_TAGS_AT = 7


class AreaResolver(APIGatewayHttpResolver):
    """Powertools' HTTP API resolver with validation, strict JSON bodies and the area's tag on
    every route it declares."""

    def __init__(self, tag: str, *, validation: bool = True) -> None:
        # An answer that does not match its declared model is the server's bug: 500, never the
        # client's 422.
        super().__init__(
            enable_validation=validation,
            response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR if validation else None,
            json_body_deserializer=body.loads,
        )
        self.tag = tag

    def route(self, rule: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        # get(), post() ... pass everything on by position; tags is the eighth after the method.
        if len(args) > _TAGS_AT:
            args = (*args[:_TAGS_AT], args[_TAGS_AT] or [self.tag], *args[_TAGS_AT + 1 :])
        else:
            kwargs["tags"] = kwargs.get("tags") or [self.tag]
        return super().route(rule, method, *args, **kwargs)


def create_app(tag: str, *, validation: bool = True) -> AreaResolver:
    """The area's resolver. ``validation=False`` only for a route whose every input is a path
    slug it checks itself and whose answer is HTML: the middleware would cost a live page a
    fifth of its time outside the one GetItem and check nothing."""
    app = AreaResolver(tag, validation=validation)
    register_error_handlers(app)
    return app


def current_caller(app: APIGatewayHttpResolver) -> Caller:
    context = app.current_event.raw_event.get("requestContext") or {}
    claims = ((context.get("authorizer") or {}).get("jwt") or {}).get("claims")
    return caller_from_claims(claims)


def _mark_replayed(response: Any, idempotent_data: Any) -> Any:
    response.setdefault("headers", {})["Idempotent-Replayed"] = "true"
    return response


@once
def _idempotency() -> tuple[Any, Any]:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

    from funnel_core.store.client import dynamodb

    settings = get_settings()
    persistence = DynamoDBPersistenceLayer(
        table_name=settings.table_name,
        key_attr="PK",
        sort_key_attr="SK",
        expiry_attr="ttl",
        boto3_client=dynamodb(),
    )
    config = IdempotencyConfig(
        event_key_jmespath=_IDEMPOTENCY_KEY_PATH,
        payload_validation_jmespath="body",
        raise_on_no_idempotency_key=False,
        expires_after_seconds=settings.idempotency_ttl_seconds,
        response_hook=_mark_replayed,
    )
    return persistence, config


def body_bytes(event: dict[str, Any]) -> bytes | None:
    """The body as sent; None when API Gateway's base64 of it is broken."""
    text = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        return text.encode("utf-8", "surrogatepass")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _precheck(event: dict[str, Any], forms: bool = False) -> dict[str, Any] | None:
    """Refusals that come before routing, each in the API's error body: an oversized body, one
    that is not UTF-8 JSON (or, with ``forms``, a urlencoded form), a malformed idempotency key."""
    raw = body_bytes(event)
    if raw is None:
        return error_result(
            400, "invalid_body", "the request body is not valid base64", [FieldProblem("body", "not base64")]
        )
    limit = get_settings().max_body_bytes
    if len(raw) > limit:
        return error_result(413, "payload_too_large", f"the request body is larger than {limit} bytes")
    headers = event.get("headers") or {}
    if raw:
        media_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
        if media_type and media_type not in _JSON_TYPES and not (forms and media_type == FORM_TYPE):
            # `curl -d` sends a form by default; the resolver would read the JSON as one field.
            message = f"the API takes JSON bodies, not {media_type}: send Content-Type: application/json"
            return error_result(415, "unsupported_media_type", message, [FieldProblem("Content-Type", message)])
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            message = "the request body is not UTF-8 text"
            return error_result(400, "invalid_json", message, [FieldProblem("body", "not UTF-8")])
    key = headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not 1 <= len(key) <= _IDEMPOTENCY_KEY_MAX:
        message = f"Idempotency-Key must be 1 to {_IDEMPOTENCY_KEY_MAX} characters"
        return error_result(400, "bad_idempotency_key", message, [FieldProblem("Idempotency-Key", message)])
    return None


def make_handler(
    app: APIGatewayHttpResolver,
    *,
    idempotent_posts: bool = False,
    public: bool = False,
    forms: bool = False,
    direct: Handler | None = None,
) -> Handler:
    """The Lambda entry point: logging with the request id as correlation id, tracing, metrics,
    the checks every API body gets and, for creates, ``Idempotency-Key`` replay. A ``public``
    route (the pages visitors see) answers in HTML and reads forms, so it checks its own body.
    ``direct`` answers in place of the resolver, for the one route whose every request counts
    (a live page): ``app`` still declares the route, and is its contract. With ``forms`` a
    browser's urlencoded form is taken besides JSON (the resolver reads it into the body model)."""

    def resolve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return app.resolve(event, context) if direct is None else direct(event, context)

    def resolve_idempotently(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        from aws_lambda_powertools.utilities.idempotency import idempotent
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyValidationError,
        )

        persistence, config = _idempotency()
        guarded = idempotent(persistence_store=persistence, config=config)(resolve)
        try:
            return guarded(event, context)
        except IdempotencyValidationError:
            message = "this Idempotency-Key was used with a different request body"
            return error_result(422, "idempotency_key_reused", message, [FieldProblem("Idempotency-Key", message)])
        except IdempotencyAlreadyInProgressError:
            return error_result(409, "request_in_progress", "a request with this Idempotency-Key is in progress")

    entry = resolve_idempotently if idempotent_posts else resolve

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @traced
    @metrics.log_metrics(capture_cold_start_metric=True)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        container.started()
        refused = None if public else _precheck(event, forms)
        if refused is not None:
            return refused
        try:
            return entry(event, context)
        except DomainError as error:  # raised outside routing, e.g. by the idempotency layer's own read
            return error_result(error.status, error.code, error.message, error.fields)

    return lambda_handler


def created(answer: BaseModel) -> Response:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=answer)


def no_content() -> Response:
    return Response(status_code=204, content_type=content_types.APPLICATION_JSON, body=None)


def ok(answer: BaseModel) -> Response:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=answer)
