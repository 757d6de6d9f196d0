"""A form post as the browser or a script sends it, and the answer each expects: a browser's
urlencoded post gets a 303 to the next step, or its page back (422) with the errors beside the
fields; a JSON post gets 201 with the submission, or the API's error body."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools.shared.cookies import Cookie

from funnel_core.errors import DomainError, FieldProblem
from funnel_core.leads.submissions import FormPost, Outcome
from funnel_core.leads.submissions import service as submissions
from funnel_core.pages import serving, tokens
from funnel_core.pages.form_markup import HONEYPOT_FIELD, TOKEN_FIELD
from funnel_core.visitors import identity

MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 200
MAX_KEY = 255
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class FormRequest:
    group_slug: str
    funnel_slug: str
    step_slug: str
    body: bytes | None  # None: API Gateway's base64 of it was broken
    headers: dict[str, str]  # lower-case names
    cookies: list[str]
    client_ip: str


@dataclass
class FormAnswer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[Cookie] = field(default_factory=list)


def _media_type(headers: dict[str, str]) -> str:
    return (headers.get("content-type") or "").split(";")[0].strip().lower()


def _json_answer(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> FormAnswer:
    return FormAnswer(status, json.dumps(body), {"Content-Type": JSON, "Cache-Control": "no-store", **(headers or {})})


def _error(
    status: int,
    code: str,
    message: str,
    fields: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> FormAnswer:
    problems = [{"field": problem.field, "message": problem.message} for problem in fields or []]
    return _json_answer(status, {"error": {"code": code, "message": message, "fields": problems}}, headers)


def _values(body: bytes, media_type: str) -> dict[str, str]:
    """The posted fields as text, or ValueError naming what is wrong with the body."""
    text = body.decode("utf-8")
    if media_type == JSON:
        sent = json.loads(text) if text else {}
        if not isinstance(sent, dict):
            raise ValueError("the body must be a JSON object of fields")
        if len(sent) > MAX_FIELDS:
            raise ValueError(f"at most {MAX_FIELDS} fields")
        values = {}
        for name, value in sent.items():
            if isinstance(value, bool):
                value = "yes" if value else ""
            if value is None:
                continue
            if not isinstance(value, str | int | float):
                raise ValueError(f"{name} must be text, a number or true/false")
            values[str(name)] = str(value)
        return values
    pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS)
    values = {}
    for name, value in pairs:
        values[name] = f"{values[name]},{value}" if name in values else value
    return values


def answer(request: FormRequest) -> FormAnswer:
    media_type = _media_type(request.headers)
    wants_json = media_type == JSON
    if request.body is None:
        return _error(400, "invalid_body", "the request body is not valid base64", [FieldProblem("body", "not base64")])
    if len(request.body) > MAX_BODY_BYTES:
        return _error(413, "payload_too_large", f"a form post is at most {MAX_BODY_BYTES} bytes")
    if media_type not in (FORM, JSON):
        message = f"a form post is {FORM} or {JSON}, not {media_type or 'untyped'}"
        return _error(415, "unsupported_media_type", message, [FieldProblem("Content-Type", message)])
    key = request.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= MAX_KEY:
        message = f"Idempotency-Key must be 1 to {MAX_KEY} characters"
        return _error(400, "bad_idempotency_key", message, [FieldProblem("Idempotency-Key", message)])
    page = serving.service().find(request.group_slug, request.funnel_slug, request.step_slug)
    if page is None:
        return _error(404, "not_found", "no live page at this URL") if wants_json else _not_found()
    try:
        values = _values(request.body, media_type)
    except (ValueError, UnicodeDecodeError) as error:
        return _error(400, "invalid_body", f"the form post cannot be read: {error}", [FieldProblem("body", str(error))])
    if page.split is not None:  # the arm the visitor was served, as the page's form token names it
        served = tokens.read(values.get(TOKEN_FIELD, ""))
        page = page.arm_of_step(served.step_id) if served is not None else page
    visitor = identity.identify(request.headers, request.cookies)
    post = FormPost(
        values={name: value for name, value in values.items() if name not in (TOKEN_FIELD, HONEYPOT_FIELD)},
        token=values.get(TOKEN_FIELD, ""),
        honeypot=values.get(HONEYPOT_FIELD, ""),
        visitor=visitor,
        client_ip=request.client_ip,
        user_agent=request.headers.get("user-agent"),
        page_url=request.headers.get("referer"),
        idempotency_key=key,
    )
    try:
        outcome = submissions().submit(page, post, request.group_slug, request.funnel_slug)
    except DomainError as refusal:
        if refusal.status == 404 and not wants_json:
            return _not_found()
        retry = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after is not None else None
        return _error(refusal.status, refusal.code, refusal.message, refusal.fields, retry)
    if outcome.errors:
        if wants_json:
            problems = [FieldProblem(name, message) for name, message in outcome.errors.items()]
            summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
            return _error(422, "validation_failed", summary, problems)
        page_back = serving.service().with_form_errors(
            page, request.group_slug, request.funnel_slug, values, outcome.errors
        )
        return FormAnswer(page_back.status, page_back.body, page_back.headers)
    return _taken(outcome, visitor, wants_json, request)


def _taken(outcome: Outcome, visitor: identity.Visitor, wants_json: bool, request: FormRequest) -> FormAnswer:
    cookie = identity.visitor_cookie(visitor)
    replayed = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    if wants_json:
        body = {
            "submissionId": outcome.submission_id,
            "customerId": outcome.customer_id,
            "status": "submitted" if outcome.status == "spam" else outcome.status,
            "redirectTo": outcome.redirect_to,
        }
        taken = _json_answer(201, body, replayed)
    else:
        own_page = f"/p/{request.group_slug}/{request.funnel_slug}/{request.step_slug}"
        headers = {"Location": outcome.redirect_to or own_page, "Cache-Control": "no-store", **replayed}
        taken = FormAnswer(303, "", headers)
    if cookie is not None:
        taken.cookies.append(cookie)
    return taken


def _not_found() -> FormAnswer:
    page = serving.not_found_answer()
    return FormAnswer(page.status, page.body, page.headers)
