"""Knowledge items: labels and text chunks. Their embeddings come with the search capability."""

from __future__ import annotations

from funnel_core.audit.events import EventType
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import NotFound
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.ontology.foreign import owner_of_thing
from funnel_core.ontology.models.knowledge import Knowledge, KnowledgeCreate
from funnel_core.ontology.store.knowledge import KnowledgeStore
from funnel_core.ontology.store.things import ThingStore
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Table


class KnowledgeItems:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access
        self.knowledge = KnowledgeStore(table)
        self.things = ThingStore(table)

    def create(self, caller: Caller, group_id: str, body: KnowledgeCreate) -> Knowledge:
        self.access.authorize(caller, group_id, Action.WRITE_CONTENT)
        at = now_iso()
        knowledge = Knowledge(
            knowledgeId=new_id("knw"),
            groupId=group_id,
            knowledgeType=body.knowledgeType,
            text=body.text,
            labels=body.labels,
            sourceThingId=body.sourceThingId,
            createdAt=at,
            createdBy=caller.person_id,
        )
        with self.table.change(caller.person_id, group_id) as change:
            if body.sourceThingId:
                owner = owner_of_thing(body.sourceThingId)
                source = owner.things(self.table) if owner else self.things
                source.require_live(change, group_id, body.sourceThingId, "sourceThingId")
            self.knowledge.add(change, knowledge)
            metadata = {"entity": "knowledge", "knowledgeType": knowledge.knowledgeType, "labels": knowledge.labels}
            change.record(EventType.ENTITY_CREATED, knowledge.knowledgeId, metadata, at)
        return knowledge

    def list(
        self,
        caller: Caller,
        group_id: str,
        source_thing_id: str | None,
        label: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Knowledge]:
        self.access.authorize(caller, group_id, Action.READ_CONTENT)
        page = page_request(
            caller.person_id, "knowledge", limit, cursor, group=group_id, source=source_thing_id, label=label
        )
        return self.knowledge.list(group_id, source_thing_id, label, page)

    def delete(self, caller: Caller, group_id: str, knowledge_id: str) -> None:
        ref = self.knowledge.ref(group_id, knowledge_id)
        knowledge = self.access.authorize(caller, group_id, Action.WRITE_CONTENT, refs=[ref]).found(ref)
        if knowledge is None:
            raise NotFound(f"knowledge {knowledge_id} not found")
        with self.table.change(caller.person_id, group_id) as change:
            self.knowledge.delete(change, knowledge)
            metadata = {"entity": "knowledge", "knowledgeType": knowledge.knowledgeType, "removed": True}
            change.record(EventType.ENTITY_ARCHIVED, knowledge_id, metadata)

    def record_embedding(self, group_id: str, knowledge_id: str, model: str, dimension: int) -> bool:
        """The indexer embedded the item: SPEC's embeddingModel and embeddingDim say with what."""
        return self.knowledge.record_embedding(group_id, knowledge_id, model, dimension)


@once
def service() -> KnowledgeItems:
    return KnowledgeItems(table(), authorizer())
