"""A small, known world in one group, written straight through the store: the ids the sample
events in events/ point at."""

from __future__ import annotations

from funnel_core.ids import now_iso
from funnel_core.models.connections import Connection
from funnel_core.models.groups import Group, GroupType
from funnel_core.models.knowledge import Knowledge, KnowledgeType
from funnel_core.models.members import Membership, Role
from funnel_core.models.things import Thing, ThingStatus
from funnel_core.store.ontology import OntologyStore

GROUP = "grp_01SAMPLEGROUP00000000000"
THING = "thg_01SAMPLETHING00000000000"
TARGET = "thg_01SAMPLETARGET0000000000"
CONNECTION = "con_01SAMPLECONNECTION000000"
KNOWLEDGE = "knw_01SAMPLEKNOWLEDGE0000000"
OWNER = "sample-owner-0000"
MEMBER = "sample-member-0000"


def seed_sample_world(store: OntologyStore) -> None:
    at = now_iso()
    uow = store.unit_of_work()
    uow.add_group(
        Group(
            groupId=GROUP,
            name="Sample Co",
            slug="sample-co",
            type=GroupType.BUSINESS,
            ownerCount=1,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
        )
    )
    for person, role in ((OWNER, Role.GROUP_OWNER), (MEMBER, Role.GROUP_USER)):
        uow.put_membership(
            Membership(groupId=GROUP, personId=person, role=role, createdAt=at, updatedAt=at, addedBy=OWNER)
        )
    for thing_id, name in ((THING, "Launch checklist"), (TARGET, "Webinar script")):
        uow.add_thing(
            Thing(
                thingId=thing_id,
                groupId=GROUP,
                type="note",
                name=name,
                status=ThingStatus.DRAFT,
                createdAt=at,
                updatedAt=at,
                createdBy=OWNER,
                updatedBy=OWNER,
            )
        )
    uow.add_connection(
        Connection(
            connectionId=CONNECTION,
            groupId=GROUP,
            fromThingId=THING,
            toThingId=TARGET,
            relationshipType="mentions",
            validFrom=at,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
        )
    )
    uow.add_knowledge(
        Knowledge(
            knowledgeId=KNOWLEDGE,
            groupId=GROUP,
            knowledgeType=KnowledgeType.LABEL,
            text="Copywriting",
            labels=["copywriting"],
            createdAt=at,
            createdBy=OWNER,
        )
    )
    uow.commit()
