"""Counting a view of a live page. A person's view writes a ``page_viewed`` event into one of
the group's visitor event shards (picked by visitor, so a viral funnel spreads over them all),
and the visitor's first view of a step its ``visitor_viewed_step`` connection (of step 1 also
``visitor_entered_funnel``) in the visitor's own partition, a conditional put that only the
first view wins. A bot's view adds one to the step's count of excluded views (the analytics
counters'), nothing else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from funnel_core.analytics import counters, experiments
from funnel_core.audit import keys as audit_keys
from funnel_core.audit.events import Event, EventType
from funnel_core.container import once
from funnel_core.ids import new_id, now_iso
from funnel_core.ontology.connections import new_connection
from funnel_core.pages.tickets import PageRef
from funnel_core.store.default import table
from funnel_core.store.items import as_item
from funnel_core.store.table import Table
from funnel_core.store.transaction import ITEM_ABSENT
from funnel_core.visitors import keys
from funnel_core.visitors.identity import Visitor, device_class

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
_MAX_UTM = 200
_MAX_REFERRER = 2048
VISITOR_VIEWED_STEP = "visitor_viewed_step"
VISITOR_ENTERED_FUNNEL = "visitor_entered_funnel"


@dataclass(frozen=True)
class ViewRequest:
    user_agent: str | None
    referrer: str | None = None
    query: str | None = None


def utm_of(query: str | None) -> dict[str, str]:
    pairs = parse_qsl(query or "", keep_blank_values=False)[:50]
    return {name: value[:_MAX_UTM] for name, value in pairs if name in UTM_FIELDS}


def clean_referrer(referrer: str | None) -> str | None:
    if not referrer or len(referrer) > _MAX_REFERRER:
        return None
    try:
        parts = urlsplit(referrer)
    except ValueError:
        return None
    return referrer if parts.scheme in ("http", "https") and parts.hostname else None


def shard_of(visitor_id: str) -> int:
    digest = hashlib.blake2b(visitor_id.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % audit_keys.VISITOR_EVENT_SHARDS


class Views:
    def __init__(self, table: Table) -> None:
        self.table = table

    def count_bot(self, page: PageRef, visitor: Visitor) -> None:
        counters.service().count_bot(page.groupId, page.funnelId, page.stepId, visitor.visitor_id, page.timezone)

    def count(self, page: PageRef, visitor: Visitor, request: ViewRequest) -> Event:
        """Record a person's view; the event written, with ``firstView`` when it was the first."""
        at = now_iso()
        first_view = self._connect(page, visitor, VISITOR_VIEWED_STEP, page.stepId, at)
        if page.sequence == 1:
            self._connect(page, visitor, VISITOR_ENTERED_FUNNEL, page.funnelId, at)
        metadata = {
            "funnelId": page.funnelId,
            "stepId": page.stepId,
            "version": page.version,
            "visitorId": visitor.visitor_id,
            "persistentVisitor": visitor.persistent,
            "firstView": first_view,
            "device": device_class(request.user_agent),
            "referrer": clean_referrer(request.referrer),
            "utm": utm_of(request.query),
        }
        if page.variantStepId:
            metadata["variantStepId"] = page.variantStepId
        if page.abTestId and page.variantStepId:
            metadata["abTestId"] = page.abTestId
            metadata["exposure"] = experiments.service().expose(
                page.groupId, page.funnelId, page.abTestId, page.variantStepId, visitor.visitor_id, at
            )
        event = Event(
            eventId=new_id("evt"),
            groupId=page.groupId,
            type=EventType.PAGE_VIEWED,
            actorId=visitor.visitor_id,
            targetId=page.stepId,
            timestamp=at,
            metadata=metadata,
        )
        key = audit_keys.visitor_event_key(page.groupId, shard_of(visitor.visitor_id), at, event.eventId)
        self.table.put_if(as_item(event, "event", key), ITEM_ABSENT)
        return event

    def _connect(self, page: PageRef, visitor: Visitor, relationship: str, target: str, at: str) -> bool:
        """The visitor's connection to a step or funnel, made by their first view only."""
        if relationship == VISITOR_VIEWED_STEP:
            key = keys.viewed_step_key(page.groupId, visitor.visitor_id, target)
        else:
            key = keys.entered_funnel_key(page.groupId, visitor.visitor_id, target)
        metadata = {"funnelId": page.funnelId, "version": page.version}
        connection = new_connection(
            page.groupId, visitor.visitor_id, target, relationship, visitor.visitor_id, at, metadata
        )
        return self.table.put_if(as_item(connection, "visitor_connection", key), ITEM_ABSENT)


@once
def service() -> Views:
    return Views(table())
