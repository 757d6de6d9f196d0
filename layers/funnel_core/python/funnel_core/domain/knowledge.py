"""Knowledge items: labels and text chunks. Their embeddings come with the search capability."""

from __future__ import annotations

from funnel_core.auth.access import Action, authorize
from funnel_core.auth.caller import Caller
from funnel_core.domain.common import audit_event, page_request
from funnel_core.errors import NotFound
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.models.events import EventType
from funnel_core.models.knowledge import Knowledge, KnowledgeCreate
from funnel_core.store.ontology import ItemRef, OntologyStore


def create_knowledge(store: OntologyStore, caller: Caller, group_id: str, body: KnowledgeCreate) -> Knowledge:
    authorize(store, caller, group_id, Action.WRITE_CONTENT)
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
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    if body.sourceThingId:
        uow.require_live_thing(group_id, body.sourceThingId, "sourceThingId")
    uow.add_knowledge(knowledge)
    metadata = {"entity": "knowledge", "knowledgeType": knowledge.knowledgeType, "labels": knowledge.labels}
    uow.record(audit_event(EventType.ENTITY_CREATED, caller, group_id, knowledge.knowledgeId, metadata, at))
    uow.commit()
    return knowledge


def list_knowledge(
    store: OntologyStore,
    caller: Caller,
    group_id: str,
    source_thing_id: str | None,
    label: str | None,
    limit: int,
    cursor: str | None,
) -> Page[Knowledge]:
    authorize(store, caller, group_id, Action.READ_CONTENT)
    page = page_request(caller, "knowledge", limit, cursor, group=group_id, source=source_thing_id, label=label)
    return store.list_knowledge(group_id, source_thing_id, label, page)


def delete_knowledge(store: OntologyStore, caller: Caller, group_id: str, knowledge_id: str) -> None:
    ref: ItemRef = ("knowledge", knowledge_id)
    knowledge = authorize(store, caller, group_id, Action.WRITE_CONTENT, items=[ref]).found(Knowledge, ref)
    if knowledge is None:
        raise NotFound(f"knowledge {knowledge_id} not found")
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.delete_knowledge(knowledge)
    metadata = {"entity": "knowledge", "knowledgeType": knowledge.knowledgeType, "removed": True}
    uow.record(audit_event(EventType.ENTITY_ARCHIVED, caller, group_id, knowledge_id, metadata))
    uow.commit()
