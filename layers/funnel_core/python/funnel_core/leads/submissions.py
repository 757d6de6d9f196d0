"""Taking a form post of a live page, from the checks to the one transaction that writes it."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from funnel_core.audit.events import EventType
from funnel_core.container import once
from funnel_core.errors import BadRequest, DomainError, NotFound, TooManyRequests
from funnel_core.ids import new_id, now_iso
from funnel_core.leads import keys, quota
from funnel_core.leads.fields import Checked, check, consent_fields
from funnel_core.observability import logger
from funnel_core.ontology import things
from funnel_core.ontology.connections import new_connection
from funnel_core.ontology.models.groups import GroupLimits
from funnel_core.ontology.models.things import SubmissionStatus, Thing
from funnel_core.pages import tokens
from funnel_core.pages.models import LivePage
from funnel_core.pages.render.html import safe_url
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.items import as_item, key_of
from funnel_core.store.table import Table
from funnel_core.store.tenancy import group_key
from funnel_core.store.transaction import ITEM_ABSENT
from funnel_core.visitors import keys as visitor_keys
from funnel_core.visitors.identity import Visitor, device_class
from funnel_core.visitors.views import utm_of

# A person fills a form a few times a minute at most; a script hammers it.
RATE_LIMIT = 10
RATE_WINDOW_SECONDS = 60
# How long a post's token (or Idempotency-Key) is remembered: a replay within it writes nothing.
REPLAY_TTL_SECONDS = 7 * 24 * 3600
VISITOR_SUBMITTED_FORM = "visitor_submitted_form"


@dataclass(frozen=True)
class FormPost:
    values: dict[str, str]
    token: str
    honeypot: str
    visitor: Visitor
    client_ip: str
    user_agent: str | None = None
    page_url: str | None = None  # the Referer: the page the form was on, with its UTM parameters
    idempotency_key: str | None = None


@dataclass
class Outcome:
    """What a post came to. ``errors`` by field: nothing was written, the form comes back."""

    submission_id: str | None = None
    customer_id: str | None = None
    status: str | None = None
    redirect_to: str | None = None
    replayed: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


class _Replayed(DomainError):
    status, code = 200, "replayed"

    def __init__(self, first: dict[str, Any] | None) -> None:
        super().__init__("this form post was taken already")
        self.first = first or {}


class _EmailTakenMeanwhile(DomainError):
    status, code = 409, "customer_created_meanwhile"


def _seconds_to_next_month(now: datetime | None = None) -> int:
    moment = now or datetime.now(UTC)
    following = datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=UTC)
    return max(1, int((following - moment).total_seconds()))


def redirect_target(page: LivePage, group_slug: str, funnel_slug: str) -> str | None:
    """Where a visitor goes after the form: the step's ``redirectAfterSubmit`` when it is an
    https URL or a step of this same funnel (never another path of the site: no open redirect),
    else the next step; None on the last step."""
    base = f"/p/{group_slug}/{funnel_slug}/"
    wanted = page.form.redirectAfterSubmit if page.form else None
    checked = safe_url(wanted)
    if checked and checked.startswith("https://"):
        return checked
    if checked and checked.startswith("/"):
        path = urlsplit(checked).path
        if path.startswith(base) and path.count("/") == 4:
            return checked
        slug = path.strip("/")
        if slug and "/" not in slug:
            return base + slug
    return f"/p/{page.form.nextPath}" if page.form and page.form.nextPath else None


class Submissions:
    def __init__(self, table: Table) -> None:
        self.table = table

    def submit(self, page: LivePage, post: FormPost, group_slug: str, funnel_slug: str) -> Outcome:
        self._limit_rate(page, post)
        token = tokens.read(post.token)
        if token is None or token.step_id != page.served_step():
            raise BadRequest.on_field("_token", "the form token is missing, forged or from another page")
        fields = page.form.fields if page.form else []
        if token.age_seconds() > tokens.MAX_AGE_SECONDS:
            return Outcome(
                errors={"_token": "This form has expired: reload the page and send it again."}, values=post.values
            )
        spam = bool(post.honeypot) or token.age_seconds() < tokens.MIN_FILL_SECONDS
        checked = check(fields, post.values)
        if checked.errors and not spam:
            return Outcome(errors=checked.errors, values=post.values)
        replay_key = f"key:{post.idempotency_key}" if post.idempotency_key else f"token:{token.nonce}"
        redirect = redirect_target(page, group_slug, funnel_slug)
        for attempt in range(2):
            try:
                if spam:
                    return self._write_spam(page, post, checked, replay_key, redirect)
                return self._write(page, post, checked, replay_key, redirect)
            except _Replayed as replay:
                first = replay.first
                return Outcome(
                    submission_id=first.get("submissionId"),
                    customer_id=first.get("customerId"),
                    status=first.get("status"),
                    redirect_to=first.get("redirectTo"),
                    replayed=True,
                )
            except _EmailTakenMeanwhile:
                if attempt:
                    raise
                logger.info("a customer with this email was created meanwhile; upserting again")
        raise AssertionError("unreachable")

    def _limit_rate(self, page: LivePage, post: FormPost) -> None:
        now = int(time.time())
        window = now - now % RATE_WINDOW_SECONDS
        key = keys.rate_key(page.funnelId, post.client_ip, window)
        posts = self.table.add(key, {"posts": 1}, {"ttl": window + RATE_WINDOW_SECONDS * 2, "entity": "rate_window"})
        if posts["posts"] > RATE_LIMIT:
            retry = window + RATE_WINDOW_SECONDS - now
            raise TooManyRequests(f"too many form posts; try again in {retry} seconds", max(1, retry))

    def _guard(self, change: Change, page: LivePage, replay_key: str, outcome: dict[str, Any]) -> None:
        guard = {
            **keys.form_post_key(page.groupId, replay_key),
            **outcome,
            "entity": "form_post",
            "ttl": int(time.time()) + REPLAY_TTL_SECONDS,
        }
        change.put(guard, ITEM_ABSENT, _Replayed)

    def _submission(
        self,
        page: LivePage,
        post: FormPost,
        checked: Checked,
        status: SubmissionStatus,
        at: str,
        customer_id: str | None,
    ) -> Thing:
        consent = []
        for spec in consent_fields(page.form.fields if page.form else []):
            if checked.data.get(spec["name"]) is True:
                text = spec.get("label") or spec["name"]
                consent.append(
                    {
                        "field": spec["name"],
                        "text": text,
                        "textSha256": hashlib.sha256(text.encode()).hexdigest(),
                        "pageVersion": page.version,
                        "at": at,
                        "ip": post.client_ip,
                        "userAgent": (post.user_agent or "")[:512],
                    }
                )
        query = urlsplit(post.page_url).query if post.page_url else ""
        properties = {
            "funnelId": page.funnelId,
            "stepId": page.stepId,
            "variantStepId": page.variantStepId,
            "version": page.version,
            "visitorId": post.visitor.visitor_id,
            "customerId": customer_id,
            "data": checked.data
            if status is not SubmissionStatus.SPAM
            else {k: v[:1000] for k, v in post.values.items()},
            "consent": consent,
            "metadata": {
                **utm_of(query),
                "referrer": post.page_url,
                "userAgent": (post.user_agent or "")[:512],
                "device": device_class(post.user_agent),
            },
        }
        return Thing(
            thingId=new_id("thg"),
            groupId=page.groupId,
            type="form_submission",
            # No personal data in the name: it is listed with every thing of the group.
            name=f"Form submission on {page.stepSlug}",
            status=status,
            properties=properties,
            createdAt=at,
            updatedAt=at,
            createdBy=post.visitor.visitor_id,
            updatedBy=post.visitor.visitor_id,
        )

    def _write_spam(
        self, page: LivePage, post: FormPost, checked: Checked, replay_key: str, redirect: str | None
    ) -> Outcome:
        at = now_iso()
        submission = self._submission(page, post, checked, SubmissionStatus.SPAM, at, None)
        outcome = {"submissionId": submission.thingId, "status": "spam", "redirectTo": redirect}
        with self.table.change(post.visitor.visitor_id, page.groupId, check_group=False) as change:
            self._guard(change, page, replay_key, outcome)
            things.add_in(change, submission)
            change.put(submission_copy(submission))
        logger.info("a form post was taken as spam", extra={"funnelId": page.funnelId, "honeypot": bool(post.honeypot)})
        # Answered as if taken, so a bot learns nothing.
        return Outcome(submission_id=submission.thingId, status="spam", redirect_to=redirect)

    def _write(
        self, page: LivePage, post: FormPost, checked: Checked, replay_key: str, redirect: str | None
    ) -> Outcome:
        at = now_iso()
        month = at[:7]
        email = checked.data["email"]
        group_item, email_item = group_key(page.groupId), things.email_guard_key(page.groupId, email)
        found = self.table.batch_get([group_item, email_item])
        limit = _monthly_limit(found.get(key_of(group_item)))
        guard = found.get(key_of(email_item))
        shard: int | None = quota.any_shard()
        while shard is not None:
            try:
                return self._commit(page, post, checked, replay_key, redirect, at, guard, (shard, limit))
            except quota.ShardFull:
                shard = quota.shard_with_room(self.table, page.groupId, month, limit)
        raise TooManyRequests(
            f"this funnel's group has taken its {limit} form submissions for the month", _seconds_to_next_month()
        )

    def _commit(
        self,
        page: LivePage,
        post: FormPost,
        checked: Checked,
        replay_key: str,
        redirect: str | None,
        at: str,
        guard: dict[str, Any] | None,
        count: tuple[int, int],
    ) -> Outcome:
        """The one transaction of an accepted post, counted in shard ``count[0]`` of a month
        whose limit is ``count[1]``."""
        email = checked.data["email"]
        customer_id = guard["customerId"] if guard else new_id("thg")
        submission = self._submission(page, post, checked, SubmissionStatus.SUBMITTED, at, customer_id)
        outcome = {
            "submissionId": submission.thingId,
            "customerId": customer_id,
            "status": "submitted",
            "redirectTo": redirect,
        }
        visitor = post.visitor.visitor_id
        with self.table.change(visitor, page.groupId, check_group=False) as change:
            self._guard(change, page, replay_key, outcome)
            quota.count_in(change, page.groupId, at[:7], *count)
            person = _person_fields(checked.data)
            if guard:
                things.merge_properties_in(change, page.groupId, customer_id, person, visitor, at)
            else:
                taken = _EmailTakenMeanwhile("a customer with this email was just created")
                things.claim_email_in(change, page.groupId, email, customer_id, taken)
                source = f"funnel:{page.funnelId}"
                things.add_in(
                    change, things.new_customer(page.groupId, customer_id, email, person, source, visitor, at)
                )
            things.add_in(change, submission)
            change.put(submission_copy(submission))
            change.put(customer_submission(submission, customer_id))
            change.put(_submitted_form(page, visitor, submission.thingId, customer_id, at))
            change.record(
                EventType.FORM_SUBMITTED,
                submission.thingId,
                {
                    "funnelId": page.funnelId,
                    "stepId": page.stepId,
                    "version": page.version,
                    "customerId": customer_id,
                    "visitorId": visitor,
                    **({"variantStepId": page.variantStepId} if page.variantStepId else {}),
                    "newCustomer": guard is None,
                },
                at,
            )
        return Outcome(
            submission_id=submission.thingId, customer_id=customer_id, status="submitted", redirect_to=redirect
        )


def _monthly_limit(group: dict[str, Any] | None) -> int:
    """The group's ``monthlyFormSubmissions``; a group gone or archived takes no posts."""
    if group is None or group.get("status") == "archived":
        raise NotFound("no live page at this URL")
    limits = (group.get("settings") or {}).get("limits") or {}
    return int(limits.get("monthlyFormSubmissions", GroupLimits().monthlyFormSubmissions))


def submission_copy(submission: Thing) -> dict[str, Any]:
    """The submission as its funnel's list holds it, with what the list filters on beside it."""
    properties = submission.properties
    key = keys.funnel_submission_key(
        submission.groupId, properties["funnelId"], submission.createdAt, submission.thingId
    )
    return {**as_item(submission, "funnel_submission", key), "stepId": properties["stepId"]}


def customer_submission(submission: Thing, customer_id: str) -> dict[str, Any]:
    key = keys.customer_submission_key(submission.groupId, customer_id, submission.thingId)
    properties = submission.properties
    fields = {"funnelId": properties["funnelId"], "createdAt": submission.createdAt, "entity": "customer_submission"}
    return {**key, **fields}


def _person_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data[name]
        for name in ("firstName", "lastName", "phone")
        if isinstance(data.get(name), str) and data[name]
    }


def _submitted_form(page: LivePage, visitor: str, submission_id: str, customer_id: str, at: str) -> dict[str, Any]:
    metadata = {"funnelId": page.funnelId, "submissionId": submission_id, "customerId": customer_id}
    connection = new_connection(page.groupId, visitor, page.stepId, VISITOR_SUBMITTED_FORM, visitor, at, metadata)
    key = visitor_keys.submitted_form_key(page.groupId, visitor, submission_id)
    return as_item(connection, "visitor_connection", key)


@once
def service() -> Submissions:
    return Submissions(table())
