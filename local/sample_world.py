"""A small, known world in one group, written straight through the store: the ids the sample
events in events/ point at."""

from __future__ import annotations

import hashlib

from funnel_core.domain.publishing import freeze, split
from funnel_core.ids import now_iso
from funnel_core.models.builder import Funnel, FunnelStatus, FunnelStep, PageElement, PublishedVersion
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
FUNNEL = "fnl_01SAMPLEFUNNEL0000000000"
STEP = "stp_01SAMPLESTEP000000000000"
SECOND_STEP = "stp_01SAMPLESTEPTWO00000000"
ELEMENT = "elm_01SAMPLEELEMENT000000000"
SECOND_ELEMENT = "elm_01SAMPLEELEMENTTWO00000"
OWNER = "sample-owner-0000"
MEMBER = "sample-member-0000"


def seed_sample_world(store: OntologyStore) -> None:
    at = now_iso()
    uow = store.unit_of_work()
    group = Group(
        groupId=GROUP,
        name="Sample Co",
        slug="sample-co",
        type=GroupType.BUSINESS,
        ownerCount=1,
        createdAt=at,
        updatedAt=at,
        createdBy=OWNER,
    )
    uow.add_group(group)
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
    _seed_funnel(store, group, at)


def _seed_funnel(store: OntologyStore, group: Group, at: str) -> None:
    """A lead-magnet funnel: an opt-in page with a headline and a button, then a thank-you page."""
    uow = store.unit_of_work()
    uow.count_funnel(group, +1)
    uow.add_funnel(
        Funnel(
            funnelId=FUNNEL,
            thingId=FUNNEL,
            groupId=GROUP,
            name="Lead Magnet",
            slug="lead-magnet",
            stepIds=[STEP, SECOND_STEP],
            status=FunnelStatus.PUBLISHED,
            liveVersion=1,
            latestVersion=1,
            publishedAt=at,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
            updatedBy=OWNER,
        )
    )
    steps: tuple[tuple[str, str, str, str, list[str]], ...] = (
        (STEP, "Opt-in", "opt-in", "opt_in_page", [ELEMENT, SECOND_ELEMENT]),
        (SECOND_STEP, "Thanks", "thanks", "thank_you_page", []),
    )
    for step_id, name, slug, step_type, element_ids in steps:
        step = FunnelStep(
            stepId=step_id,
            funnelId=FUNNEL,
            groupId=GROUP,
            name=name,
            slug=slug,
            stepType=step_type,
            properties={"stepType": step_type},
            elementIds=element_ids,
            createdAt=at,
            updatedAt=at,
        )
        uow.add_step(step)
        uow.claim_step_slug(step)
    for element_id, element_type, settings in (
        (ELEMENT, "headline", {"text": "Get the free guide", "level": 1, "alignment": "center"}),
        (SECOND_ELEMENT, "submit_button", {"text": "Send it to me", "action": "submit"}),
    ):
        uow.put_element(
            PageElement(
                elementId=element_id,
                stepId=STEP,
                funnelId=FUNNEL,
                groupId=GROUP,
                elementType=element_type,
                settings=settings,
                createdAt=at,
                updatedAt=at,
            )
        )
    uow.assign(
        Connection(
            connectionId="con_01SAMPLEASSIGNMENT00000000",
            groupId=GROUP,
            fromThingId=MEMBER,
            toThingId=FUNNEL,
            relationshipType="assigned_to",
            validFrom=at,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
        )
    )
    uow.commit()
    _seed_version_one(store, at)


def _seed_version_one(store: OntologyStore, at: str) -> None:
    """Version 1 of the funnel, frozen from the draft as seeded."""
    aggregate = store.read_funnel(GROUP, FUNNEL)
    assert aggregate is not None
    view = aggregate.view()
    snapshot = freeze(view)
    uow = store.unit_of_work()
    uow.add_version(
        PublishedVersion(
            funnelId=FUNNEL,
            groupId=GROUP,
            version=1,
            publishedAt=at,
            publishedBy=OWNER,
            stepCount=len(view.steps),
            elementCount=sum(len(step.elements) for step in view.steps),
            bytes=len(snapshot),
            parts=len(split(snapshot)),
            sha256=hashlib.sha256(snapshot).hexdigest(),
        ),
        split(snapshot),
    )
    uow.commit()
