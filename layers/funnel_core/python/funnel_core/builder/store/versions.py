"""Published versions: a summary item each, and the compressed snapshot cut into parts under
DynamoDB's 400 KB item limit, written once and never changed."""

from __future__ import annotations

from funnel_core.builder import keys
from funnel_core.builder.models.versions import PublishedVersion
from funnel_core.errors import StructureConflict
from funnel_core.models.common import Page
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Table
from funnel_core.store.transaction import ITEM_ABSENT


class VersionStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def add(self, change: Change, version: PublishedVersion, parts: list[bytes]) -> None:
        key = keys.funnel_version_key(version.groupId, version.funnelId, version.version)
        change.put(
            as_item(version, "funnel_version", key),
            ITEM_ABSENT,
            StructureConflict("this version was just published; retry"),
        )
        for number, data in enumerate(parts):
            part_key = keys.funnel_version_part_key(version.groupId, version.funnelId, version.version, number)
            change.put({**part_key, "data": data, "entity": "funnel_version_part"})

    def list(self, group_id: str, funnel_id: str, page: PageRequest) -> Page[PublishedVersion]:
        query = Query(keys.funnel_versions_pk(group_id, funnel_id), sort_prefix=keys.VERSION)
        records, cursor = self.table.query(query, page)
        return Page[PublishedVersion](
            items=[to_model(PublishedVersion, record) for record in records], nextCursor=cursor
        )

    def get(self, group_id: str, funnel_id: str, number: int) -> PublishedVersion | None:
        record = self.table.get(keys.funnel_version_key(group_id, funnel_id, number))
        return to_model(PublishedVersion, record) if record else None

    def snapshot(self, group_id: str, funnel_id: str, number: int) -> bytes:
        """The compressed snapshot of a published version, its parts joined in order."""
        query = Query(
            keys.funnel_versions_pk(group_id, funnel_id),
            sort_prefix=keys.version_parts_prefix(number),
            newest_first=False,
        )
        return b"".join(record["data"] for record in self.table.query_all(query))
