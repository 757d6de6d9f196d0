"""Knowledge items, with a copy under each of their labels so that a label lists with one Query."""

from __future__ import annotations

from funnel_core.errors import Conflict, NotFound
from funnel_core.models.common import Page
from funnel_core.ontology import keys
from funnel_core.ontology.models.knowledge import Knowledge
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Ref, Table
from funnel_core.store.tenancy import group_pk
from funnel_core.store.transaction import ITEM_ABSENT, ITEM_PRESENT, Condition


class KnowledgeStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def ref(group_id: str, knowledge_id: str) -> Ref[Knowledge]:
        return Ref.to(keys.knowledge_key(group_id, knowledge_id), Knowledge)

    def list(self, group_id: str, source_thing_id: str | None, label: str | None, page: PageRequest) -> Page[Knowledge]:
        if label:
            equals = {"sourceThingId": source_thing_id} if source_thing_id else {}
            query = Query(group_pk(group_id), sort_prefix=f"{keys.KNOWLEDGE_LABEL}{label}#", equals=equals)
        elif source_thing_id:
            query = Query(keys.knowledge_by_source_pk(group_id, source_thing_id), index=keys.GSI1)
        else:
            query = Query(group_pk(group_id), sort_prefix=keys.KNOWLEDGE)
        records, cursor = self.table.query(query, page)
        return Page[Knowledge](items=[to_model(Knowledge, record) for record in records], nextCursor=cursor)

    def add(self, change: Change, knowledge: Knowledge) -> None:
        k = knowledge
        key, index = (
            keys.knowledge_key(k.groupId, k.knowledgeId),
            keys.knowledge_index(k.groupId, k.sourceThingId, k.knowledgeId),
        )
        change.put(as_item(k, "knowledge", key, index), ITEM_ABSENT, Conflict("knowledge id clash"))
        for label in k.labels:
            change.put(as_item(k, "knowledge_label", keys.knowledge_label_key(k.groupId, label, k.knowledgeId)))

    def record_embedding(self, group_id: str, knowledge_id: str, model: str, dimension: int) -> bool:
        """Say which model embedded the item, on it and its label copies; False when it is gone or
        says so already (the write makes a stream record the indexer then finds unchanged)."""
        knowledge = self.table.read(self.ref(group_id, knowledge_id))
        if knowledge is None:
            return False
        condition = Condition(
            "attribute_exists(PK) AND (attribute_not_exists(#model) OR #model <> :model OR #dim <> :dim)",
            {"#model": "embeddingModel", "#dim": "embeddingDim"},
            {":model": model, ":dim": dimension},
        )
        keys_of_item = [
            keys.knowledge_key(group_id, knowledge_id),
            *(keys.knowledge_label_key(group_id, label, knowledge_id) for label in knowledge.labels),
        ]
        written = [self.table.update_if(key, "SET #model = :model, #dim = :dim", condition) for key in keys_of_item]
        return any(written)

    def delete(self, change: Change, knowledge: Knowledge) -> None:
        k = knowledge
        change.delete(
            keys.knowledge_key(k.groupId, k.knowledgeId), ITEM_PRESENT, NotFound(f"knowledge {k.knowledgeId} not found")
        )
        for label in k.labels:
            change.delete(keys.knowledge_label_key(k.groupId, label, k.knowledgeId))
