"""Resolver factory and the Lambda handler wrapper every function uses.

A function module is a few lines::

    app = create_app()

    @app.get("/groups/<groupId>")
    def get_group(groupId: str) -> Group:
        return groups.get_group(current_caller(app), groupId)

    lambda_handler = make_handler(app)
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from funnel_core.auth.caller import Caller, caller_from_claims
from funnel_core.errors import DomainError, FieldProblem
from funnel_core.http.errors import error_result, register_error_handlers
from funnel_core.observability import logger, metrics, tracer
from funnel_core.settings import get_settings
from funnel_core.store.client import dynamodb
from funnel_core.store.ontology import OntologyStore

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]

IDEMPOTENCY_HEADER = "idempotency-key"
_IDEMPOTENCY_KEY_MAX = 255
# No header, no idempotency: ``&&`` yields null and Powertools skips the request. With the
# header, the key is scoped to the caller and the route so two callers never share one.
_IDEMPOTENCY_KEY_PATH = (
    f'headers."{IDEMPOTENCY_HEADER}" && [requestContext.authorizer.jwt.claims.sub, requestContext.routeKey, '
    f'rawPath, headers."{IDEMPOTENCY_HEADER}"]'
)


def create_app() -> APIGatewayHttpResolver:
    # An answer that does not match its declared model is the server's bug: 500, never the
    # client's 422.
    app = APIGatewayHttpResolver(
        enable_validation=True, response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR
    )
    register_error_handlers(app)
    return app


@lru_cache(maxsize=1)
def store() -> OntologyStore:
    return OntologyStore()


def current_caller(app: APIGatewayHttpResolver) -> Caller:
    context = app.current_event.raw_event.get("requestContext") or {}
    claims = ((context.get("authorizer") or {}).get("jwt") or {}).get("claims")
    return caller_from_claims(claims)


def _mark_replayed(response: Any, idempotent_data: DataRecord) -> Any:
    response.setdefault("headers", {})["Idempotent-Replayed"] = "true"
    return response


@lru_cache(maxsize=1)
def _idempotency() -> tuple[DynamoDBPersistenceLayer, IdempotencyConfig]:
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


_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _body_size(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    return len(base64.b64decode(body)) if event.get("isBase64Encoded") else len(body.encode())


def _precheck(event: dict[str, Any]) -> dict[str, Any] | None:
    """Refusals that come before routing: oversized or form-encoded bodies and malformed
    idempotency keys."""
    limit = get_settings().max_body_bytes
    if _body_size(event) > limit:
        return error_result(413, "payload_too_large", f"the request body is larger than {limit} bytes")
    content_type = ((event.get("headers") or {}).get("content-type") or "").split(";")[0].strip().lower()
    if event.get("body") and content_type in _FORM_TYPES:
        # `curl -d` sends this by default; the resolver would read the JSON as one form field.
        message = "the API takes JSON bodies: send Content-Type: application/json"
        return error_result(415, "unsupported_media_type", message, [FieldProblem("Content-Type", message)])
    key = (event.get("headers") or {}).get(IDEMPOTENCY_HEADER)
    if key is not None and not 1 <= len(key) <= _IDEMPOTENCY_KEY_MAX:
        message = f"Idempotency-Key must be 1 to {_IDEMPOTENCY_KEY_MAX} characters"
        return error_result(400, "bad_idempotency_key", message, [FieldProblem("Idempotency-Key", message)])
    return None


def make_handler(app: APIGatewayHttpResolver, *, idempotent_posts: bool = False) -> Handler:
    """The Lambda entry point: logging with the request id as correlation id, tracing, metrics,
    the body-size limit and, for creates, ``Idempotency-Key`` replay."""

    def resolve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return app.resolve(event, context)

    def resolve_idempotently(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
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
    @tracer.capture_lambda_handler
    @metrics.log_metrics(capture_cold_start_metric=True)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        refused = _precheck(event)
        if refused is not None:
            return refused
        try:
            return entry(event, context)
        except DomainError as error:  # raised outside routing, e.g. by the idempotency layer's own read
            return error_result(error.status, error.code, error.message, error.fields)

    return lambda_handler


def created(body: BaseModel) -> Response:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


def no_content() -> Response:
    return Response(status_code=204, content_type=content_types.APPLICATION_JSON, body=None)


def ok(body: BaseModel) -> Response:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=body)
