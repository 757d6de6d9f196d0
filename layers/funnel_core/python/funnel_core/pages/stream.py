"""The table's stream keeps the live pages true where no route can: a group's new slug moves
every live funnel of the group to new URLs (too many pages for the group's own request), an
archived group stops serving, and a funnel's move whose projection a crash cut short is
projected again. Projecting is idempotent, so a redelivered record changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from funnel_core.builder.keys import FUNNEL_META
from funnel_core.pages.projection import service
from funnel_core.store.codec import deserialize
from funnel_core.store.tenancy import GROUP_META

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

# What a group or funnel change must change for its pages to change.
_GROUP_FIELDS = ("slug", "status", "settings")
_FUNNEL_FIELDS = ("slug", "status", "liveVersion", "version")


def _changed(old: dict[str, Any], new: dict[str, Any], fields: tuple[str, ...]) -> bool:
    return any(old.get(name) != new.get(name) for name in fields)


def project_record(record: DynamoDBRecord) -> str:
    """Re-project what one MODIFY of a group or funnel item touches; returns what it did."""
    images = record.raw_event.get("dynamodb") or {}
    old, new = deserialize(images.get("OldImage") or {}), deserialize(images.get("NewImage") or {})
    if new.get("SK") == GROUP_META and _changed(old, new, _GROUP_FIELDS):
        service().sync_group(new["groupId"])
        return f"group {new['groupId']}"
    if new.get("SK") == FUNNEL_META and _changed(old, new, _FUNNEL_FIELDS):
        service().sync(new["groupId"], new["funnelId"])
        return f"funnel {new['funnelId']}"
    return "unchanged"
