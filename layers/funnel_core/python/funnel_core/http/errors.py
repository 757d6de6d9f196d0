"""The one place where failures become HTTP answers, all in API.md's error body."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
    ResponseValidationError,
)

from funnel_core.errors import DomainError, FieldProblem
from funnel_core.models.common import ErrorBody, ErrorDetail, ErrorField
from funnel_core.observability import logger


def _error_body(code: str, message: str, fields: list[FieldProblem] | None) -> str:
    detail = ErrorDetail(
        code=code, message=message, fields=[ErrorField(field=f.field, message=f.message) for f in fields or []]
    )
    return ErrorBody(error=detail).model_dump_json()


def error_response(
    status: int,
    code: str,
    message: str,
    fields: list[FieldProblem] | None = None,
    retry_after: int | None = None,
) -> Response:
    """An error answered from inside the resolver."""
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=_error_body(code, message, fields),
        headers={"Retry-After": str(retry_after)} if retry_after is not None else None,
    )


def error_result(status: int, code: str, message: str, fields: list[FieldProblem] | None = None) -> dict[str, Any]:
    """The same error as a Lambda proxy result, for refusals made before or after routing."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_types.APPLICATION_JSON},
        "body": _error_body(code, message, fields),
        "isBase64Encoded": False,
    }


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _problems(errors: list[dict[str, Any]]) -> list[FieldProblem]:
    problems = []
    for error in errors:
        message = str(error.get("msg", "invalid value"))
        problems.append(FieldProblem(_field_name(tuple(error.get("loc", ()))), message.removeprefix("Value error, ")))
    return problems


def validation_response(error: RequestValidationError) -> Response:
    errors = list(error.errors())
    invalid = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if invalid is not None:
        reason = (invalid.get("ctx") or {}).get("error")
        message = f"the request body is not valid JSON: {reason}" if reason else "the request body is not valid JSON"
        return error_response(400, "invalid_json", message, [FieldProblem("body", reason or "not valid JSON")])
    problems = _problems(errors)
    in_body = any(tuple(e.get("loc", ()))[:1] == ("body",) for e in errors)
    status, code = (422, "validation_failed") if in_body else (400, "bad_parameter")
    summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
    return error_response(status, code, summary, problems)


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    @app.exception_handler(RequestValidationError)
    def _on_request_validation(error: RequestValidationError) -> Response:
        return validation_response(error)

    @app.exception_handler(RequestUnsupportedContentType)
    def _on_unsupported_content_type(error: RequestUnsupportedContentType) -> Response:
        message = "the API takes JSON bodies: send Content-Type: application/json"
        return error_response(415, "unsupported_media_type", message, [FieldProblem("Content-Type", message)])

    @app.exception_handler(ResponseValidationError)
    def _on_response_validation(error: ResponseValidationError) -> Response:
        logger.error("the answer does not match its model", extra={"errors": error.errors()})
        return error_response(500, "internal_error", "the server produced an invalid answer")

    @app.exception_handler(DomainError)
    def _on_domain_error(error: DomainError) -> Response:
        if error.retry_after is not None:
            logger.warning("refused for now", extra={"status": error.status, "retryAfter": error.retry_after})
        elif error.status >= 500:
            logger.exception("domain failure")
        return error_response(error.status, error.code, error.message, error.fields, error.retry_after)

    @app.not_found
    def _on_not_found(_: Exception) -> Response:
        return error_response(404, "not_found", "no such route")
