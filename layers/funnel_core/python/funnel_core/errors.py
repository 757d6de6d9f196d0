"""One exception type per domain failure. ``http.errors`` maps each to its HTTP status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class DomainError(Exception):
    status: int = 500
    code: str = "internal_error"
    retry_after: int | None = None  # seconds, answered as Retry-After

    def __init__(self, message: str, fields: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or []

    @classmethod
    def on_field(cls, field: str, message: str) -> Self:
        return cls(f"{field}: {message}", [FieldProblem(field, message)])


class BadRequest(DomainError):
    status, code = 400, "bad_request"


class Unauthenticated(DomainError):
    status, code = 401, "unauthenticated"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class VersionConflict(Conflict):
    code = "version_conflict"


class SlugTaken(Conflict):
    code = "slug_taken"


class NameTaken(Conflict):
    code = "name_taken"


class StructureConflict(Conflict):
    """Someone else changed a funnel's steps or a step's elements at the same moment."""

    code = "concurrent_change"


class PayloadTooLarge(DomainError):
    status, code = 413, "payload_too_large"


class ValidationFailed(DomainError):
    status, code = 422, "validation_failed"

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        return cls.on_field(field, message)


class TooManyRequests(DomainError):
    """Over a rate or a quota: ``retry_after`` says when to try again (the Retry-After header)."""

    status, code = 429, "too_many_requests"

    def __init__(self, message: str, retry_after: int, fields: list[FieldProblem] | None = None) -> None:
        super().__init__(message, fields)
        self.retry_after = retry_after


class Busy(DomainError):
    """DynamoDB throttled the request beyond the SDK's own retries: nothing was written, and the
    same request may be sent again in a moment (503 with Retry-After)."""

    status, code = 503, "busy"

    def __init__(self, retry_after: int = 1) -> None:
        super().__init__(f"the service is busy; try again in {retry_after} second{'s' * (retry_after != 1)}")
        self.retry_after = retry_after


class LimitExceeded(DomainError):
    """Past a group's ``settings.limits``: the request is well-formed but cannot be taken (422)."""

    status, code = 422, "limit_exceeded"
