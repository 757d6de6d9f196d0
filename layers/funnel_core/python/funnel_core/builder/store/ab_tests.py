"""A/B test items, in their funnel's item collection."""

from __future__ import annotations

from funnel_core.builder import keys
from funnel_core.builder.models.ab_tests import AbTest
from funnel_core.errors import Conflict, VersionConflict
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.table import Query, Ref, Table
from funnel_core.store.transaction import ITEM_ABSENT, version_is


class AbTestStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def ref(group_id: str, funnel_id: str, test_id: str) -> Ref[AbTest]:
        return Ref.to(keys.ab_test_key(group_id, funnel_id, test_id), AbTest)

    def get(self, group_id: str, funnel_id: str, test_id: str) -> AbTest | None:
        return self.table.read(self.ref(group_id, funnel_id, test_id))

    def add(self, change: Change, test: AbTest) -> None:
        key = keys.ab_test_key(test.groupId, test.funnelId, test.abTestId)
        change.put(as_item(test, "ab_test", key), ITEM_ABSENT, Conflict("A/B test id clash"))

    def replace(self, change: Change, test: AbTest, expected_version: int) -> None:
        key = keys.ab_test_key(test.groupId, test.funnelId, test.abTestId)
        change.put(
            as_item(test, "ab_test", key),
            version_is(expected_version),
            VersionConflict(f"A/B test {test.abTestId} changed since version {expected_version}"),
        )

    def list(self, group_id: str, funnel_id: str) -> list[AbTest]:
        query = Query(keys.funnel_pk(group_id, funnel_id), sort_prefix=keys.AB_TEST, newest_first=False)
        return [to_model(AbTest, record) for record in self.table.query_all(query)]
