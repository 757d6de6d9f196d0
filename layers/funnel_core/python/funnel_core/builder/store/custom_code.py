"""Custom code items, in their funnel's item collection."""

from __future__ import annotations

from funnel_core.builder import keys
from funnel_core.builder.models.custom_code import CustomCode
from funnel_core.errors import Conflict, VersionConflict
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.table import Query, Ref, Table
from funnel_core.store.transaction import ITEM_ABSENT, version_is


class CustomCodeStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def ref(group_id: str, funnel_id: str, code_id: str) -> Ref[CustomCode]:
        return Ref.to(keys.custom_code_key(group_id, funnel_id, code_id), CustomCode)

    def add(self, change: Change, code: CustomCode) -> None:
        key = keys.custom_code_key(code.groupId, code.funnelId, code.customCodeId)
        change.put(as_item(code, "custom_code", key), ITEM_ABSENT, Conflict("custom code id clash"))

    def replace(self, change: Change, code: CustomCode, expected_version: int) -> None:
        key = keys.custom_code_key(code.groupId, code.funnelId, code.customCodeId)
        change.put(
            as_item(code, "custom_code", key),
            version_is(expected_version),
            VersionConflict(f"custom code {code.customCodeId} changed since version {expected_version}"),
        )

    def list(self, group_id: str, funnel_id: str) -> list[CustomCode]:
        query = Query(keys.funnel_pk(group_id, funnel_id), sort_prefix=keys.CUSTOM_CODE, newest_first=False)
        return [to_model(CustomCode, record) for record in self.table.query_all(query)]
