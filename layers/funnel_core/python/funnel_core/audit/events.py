"""Events: the audit trail of every mutation and visitor action."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from funnel_core.models.common import Record


class EventType(StrEnum):
    FUNNEL_CREATED = "funnel_created"
    FUNNEL_PUBLISHED = "funnel_published"
    FUNNEL_UNPUBLISHED = "funnel_unpublished"
    FUNNEL_DUPLICATED = "funnel_duplicated"
    FUNNEL_ARCHIVED = "funnel_archived"
    STEP_ADDED = "step_added"
    STEP_REMOVED = "step_removed"
    STEP_REORDERED = "step_reordered"
    ELEMENT_ADDED = "element_added"
    ELEMENT_UPDATED = "element_updated"
    ELEMENT_REMOVED = "element_removed"
    FORM_SUBMITTED = "form_submitted"
    PURCHASE_COMPLETED = "purchase_completed"
    PAYMENT_FAILED = "payment_failed"
    PAYMENT_REFUNDED = "payment_refunded"
    AB_TEST_STARTED = "ab_test_started"
    AB_TEST_COMPLETED = "ab_test_completed"
    EMAIL_SENT = "email_sent"
    DOMAIN_CONNECTED = "domain_connected"
    ANALYTICS_GENERATED = "analytics_generated"
    ENTITY_CREATED = "entity_created"
    ENTITY_UPDATED = "entity_updated"
    ENTITY_ARCHIVED = "entity_archived"
    CONNECTION_CREATED = "connection_created"
    CONNECTION_ENDED = "connection_ended"
    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    PAGE_VIEWED = "page_viewed"


class Event(Record):
    eventId: str
    groupId: str
    type: EventType
    actorId: str
    targetId: str
    timestamp: str
    metadata: dict[str, Any] = Field(default_factory=dict)
