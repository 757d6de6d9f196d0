"""A group's own templates (summary attributes and the whole template compressed), and how often
each template, system or group, was used."""

from __future__ import annotations

from collections.abc import Sequence

from funnel_core.builder import keys
from funnel_core.builder.models.templates import StoredTemplate
from funnel_core.errors import Conflict, NotFound
from funnel_core.models.common import Page
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Table
from funnel_core.store.tenancy import group_pk
from funnel_core.store.transaction import ITEM_ABSENT, Condition


class TemplateStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, group_id: str, template_id: str) -> StoredTemplate | None:
        record = self.table.get(keys.group_template_key(group_id, template_id))
        return to_model(StoredTemplate, record) if record else None

    def list(self, group_id: str, page: PageRequest) -> Page[StoredTemplate]:
        records, cursor = self.table.query(Query(group_pk(group_id), sort_prefix=keys.GROUP_TEMPLATE), page)
        return Page[StoredTemplate](items=[to_model(StoredTemplate, record) for record in records], nextCursor=cursor)

    def usage(self, template_ids: Sequence[str]) -> dict[str, int]:
        found = self.table.batch_get([keys.template_usage_key(template_id) for template_id in template_ids])
        return {record["templateId"]: int(record["usageCount"]) for record in found.values()}

    def add(self, change: Change, template: StoredTemplate) -> None:
        key = keys.group_template_key(template.groupId, template.templateId)
        change.put(as_item(template, "template", key), ITEM_ABSENT, Conflict("template id clash"))

    def count_use(self, change: Change, template_id: str, group_id: str | None) -> None:
        """One more funnel or step made from a template: group templates count on their item,
        system templates on a counter of their own."""
        if group_id is None:
            change.update(
                keys.template_usage_key(template_id),
                "ADD usageCount :one SET templateId = :id",
                Condition("attribute_not_exists(PK) OR attribute_exists(PK)", {}, {":one": 1, ":id": template_id}),
            )
        else:
            change.update(
                keys.group_template_key(group_id, template_id),
                "ADD usageCount :one",
                Condition("attribute_exists(PK)", {}, {":one": 1}),
                NotFound(f"template {template_id} not found"),
            )
