"""Funnels and their structure: steps in sequence, elements in position.

The order lists live on the parents (a funnel's ``stepIds``, a step's ``elementIds``), so the
sequence is 1..n without gaps or duplicates by construction, and a step or element is part of
the funnel exactly when its parent lists it. Structural writes are conditioned on the parent's
``structureVersion``; a writer that loses a race re-reads and tries again, so concurrent adds and
removes all land and none is lost.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from funnel_core.auth.access import Action, FunnelAction, authorize, authorize_funnel, funnel_ref
from funnel_core.auth.caller import Caller
from funnel_core.domain.aggregate import append_step, find_step, load_funnel, require_editable, retry_races
from funnel_core.domain.common import (
    audit_event,
    ownership,
    page_request,
    require_size,
    slugify,
    validation_failed,
    with_suffix,
)
from funnel_core.domain.copying import blueprint_of, create_copy
from funnel_core.domain.templates import add_step_from_template, instantiate_template
from funnel_core.errors import Forbidden, SlugTaken, ValidationFailed, VersionConflict
from funnel_core.ids import new_id, now_iso
from funnel_core.models.builder import (
    Funnel,
    FunnelAggregate,
    FunnelStatus,
    FunnelStep,
    FunnelView,
    StepView,
)
from funnel_core.models.common import Page
from funnel_core.models.connections import Connection
from funnel_core.models.events import EventType
from funnel_core.models.funnels import (
    FunnelCreate,
    FunnelUpdate,
    StepCreate,
    StepOrder,
    StepUpdate,
    validate_step_properties,
)
from funnel_core.models.groups import Group
from funnel_core.models.members import Membership, Role
from funnel_core.store.ontology import ItemRef, OntologyStore

# ---------------------------------------------------------------- funnels


def create_funnel(store: OntologyStore, caller: Caller, group_id: str, body: FunnelCreate) -> FunnelView:
    access = authorize_funnel(store, caller, group_id, None, FunnelAction.MANAGE)
    if body.templateId is not None:
        return instantiate_template(store, caller, access.group, body)
    slug = body.slug or slugify(body.name, fallback="funnel")
    try:
        return _create_funnel(store, caller, access.group, body, slug)
    except SlugTaken:
        if body.slug:
            raise
        return _create_funnel(store, caller, access.group, body, with_suffix(slug))


def _create_funnel(store: OntologyStore, caller: Caller, group: Group, body: FunnelCreate, slug: str) -> FunnelView:
    at = now_iso()
    funnel_id = new_id("fnl")
    funnel = Funnel(
        funnelId=funnel_id,
        thingId=funnel_id,
        groupId=group.groupId,
        name=body.name,
        slug=slug,
        properties=body.properties.model_dump(mode="json", exclude_none=True) if body.properties else {},
        createdAt=at,
        updatedAt=at,
        createdBy=caller.person_id,
        updatedBy=caller.person_id,
    )
    uow = store.unit_of_work()
    uow.count_funnel(group, +1)
    uow.add_funnel(funnel)
    uow.add_connection(ownership(caller, group.groupId, funnel_id, at))
    metadata = {"name": funnel.name, "slug": funnel.slug}
    uow.record(audit_event(EventType.FUNNEL_CREATED, caller, group.groupId, funnel_id, metadata, at))
    uow.commit()
    return FunnelAggregate(funnel=funnel, steps={}, elements={}).view()


def list_funnels(
    store: OntologyStore, caller: Caller, group_id: str, status: FunnelStatus | None, limit: int, cursor: str | None
) -> Page[Funnel]:
    access = authorize(store, caller, group_id, Action.READ_GROUP)
    page = page_request(caller, "funnels", limit, cursor, group=group_id, status=status)
    if access.allows(Action.READ_CONTENT):
        return store.list_funnels(group_id, status, page)
    if access.role is not Role.GROUP_USER:
        raise Forbidden(f"your role ({access.role}) does not let you read the group's funnels")
    # A group_user sees the funnels assigned to them, a page of assignments at a time.
    assignments = store.list_assignments(group_id, caller.person_id, page)
    funnels = store.get_funnels(group_id, [assignment.toThingId for assignment in assignments.items])
    visible = [funnel for funnel in funnels if status is None or funnel.status == status]
    return Page[Funnel](items=visible, nextCursor=assignments.nextCursor)


def get_funnel(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str) -> FunnelView:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.READ)
    return load_funnel(store, group_id, funnel_id).view()


def update_funnel(
    store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, body: FunnelUpdate
) -> FunnelView:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)
    aggregate = load_funnel(store, group_id, funnel_id)
    funnel = aggregate.funnel
    require_editable(aggregate.funnel)
    if body.version != funnel.version:
        raise VersionConflict(f"funnel {funnel_id} is at version {funnel.version}, not {body.version}")
    changes: dict[str, Any] = {}
    if body.name is not None:
        changes["name"] = body.name
    if body.slug is not None:
        changes["slug"] = body.slug
    if body.properties is not None:
        changes["properties"] = body.properties.model_dump(mode="json", exclude_none=True)
    at = now_iso()
    updated = funnel.model_copy(
        update={**changes, "version": funnel.version + 1, "updatedAt": at, "updatedBy": caller.person_id}
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    if updated.name.casefold() != funnel.name.casefold():
        uow.release_funnel_name(group_id, funnel.name)
        uow.claim_funnel_name(group_id, updated.name, funnel_id)
    if updated.slug != funnel.slug:
        uow.release_funnel_slug(group_id, funnel.slug)
        uow.claim_funnel_slug(group_id, updated.slug, funnel_id)
    uow.replace_funnel(updated, expected_version=funnel.version)
    metadata = {"entity": "funnel", "changed": sorted(changes)}
    uow.record(audit_event(EventType.ENTITY_UPDATED, caller, group_id, funnel_id, metadata, at))
    uow.commit()
    return aggregate.model_copy(update={"funnel": updated}).view()


def archive_funnel(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str) -> FunnelView:
    """Archive (never delete): it stops serving, and its name and slug are free for a new funnel."""
    access = authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.MANAGE)
    aggregate = load_funnel(store, group_id, funnel_id)
    funnel = aggregate.funnel
    if funnel.status is FunnelStatus.ARCHIVED:
        return aggregate.view()
    at = now_iso()
    archived = funnel.model_copy(
        update={
            "status": FunnelStatus.ARCHIVED,
            "liveVersion": None,
            "version": funnel.version + 1,
            "updatedAt": at,
            "updatedBy": caller.person_id,
        }
    )
    uow = store.unit_of_work()
    uow.count_funnel(access.group, -1)
    uow.release_funnel_name(group_id, funnel.name)
    uow.release_funnel_slug(group_id, funnel.slug)
    uow.replace_funnel(archived, expected_version=funnel.version)
    uow.record(
        audit_event(EventType.FUNNEL_ARCHIVED, caller, group_id, funnel_id, {"previousStatus": funnel.status}, at)
    )
    uow.commit()
    return aggregate.model_copy(update={"funnel": archived}).view()


# ---------------------------------------------------------------- steps


def add_step(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, body: StepCreate) -> StepView:
    access = authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)
    require_size("properties", body.properties)
    slug = body.slug or slugify(body.name, fallback="step")
    if body.pageTemplateId is not None:
        return add_step_from_template(store, caller, access.group, funnel_id, body, slug)
    at = now_iso()
    step = FunnelStep(
        stepId=new_id("stp"),
        funnelId=funnel_id,
        groupId=group_id,
        name=body.name,
        slug=slug,
        stepType=body.stepType,
        properties=body.properties,
        createdAt=at,
        updatedAt=at,
        createdBy=caller.person_id,
    )
    return append_step(store, caller, access.group, step, slug_chosen=body.slug is not None)


def get_step(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, step_id: str) -> StepView:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.READ)
    aggregate = load_funnel(store, group_id, funnel_id)
    find_step(aggregate, step_id)
    return aggregate.step_view(step_id)


def update_step(
    store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, step_id: str, body: StepUpdate
) -> StepView:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)
    aggregate = load_funnel(store, group_id, funnel_id)
    require_editable(aggregate.funnel)
    step = find_step(aggregate, step_id)
    if body.version != step.version:
        raise VersionConflict(f"step {step_id} is at version {step.version}, not {body.version}")
    changes: dict[str, Any] = {}
    if body.name is not None:
        changes["name"] = body.name
    if body.slug is not None:
        changes["slug"] = body.slug
    if body.properties is not None:
        try:
            changes["properties"] = validate_step_properties(step.stepType, body.properties)
        except ValidationError as error:
            raise validation_failed(error, "properties") from None
        require_size("properties", changes["properties"])
    at = now_iso()
    updated = step.model_copy(update={**changes, "version": step.version + 1, "updatedAt": at})
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    if updated.slug != step.slug:
        uow.release_step_slug(step)
        uow.claim_step_slug(updated)
    uow.replace_step(updated, expected_version=step.version)
    metadata = {"entity": "step", "funnelId": funnel_id, "changed": sorted(changes)}
    uow.record(audit_event(EventType.ENTITY_UPDATED, caller, group_id, step_id, metadata, at))
    uow.commit()
    changed = aggregate.model_copy(update={"steps": {**aggregate.steps, step_id: updated}})
    return changed.step_view(step_id)


def remove_step(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, step_id: str) -> None:
    """Take the step out of the sequence (the rest close the gap); its items go after the commit."""
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)

    def attempt() -> FunnelStep:
        aggregate = load_funnel(store, group_id, funnel_id)
        require_editable(aggregate.funnel)
        funnel = aggregate.funnel
        step = find_step(aggregate, step_id)
        at = now_iso()
        remaining = [other for other in funnel.stepIds if other != step_id]
        shrunk = funnel.model_copy(
            update={"stepIds": remaining, "structureVersion": funnel.structureVersion + 1, "updatedAt": at}
        )
        uow = store.unit_of_work()
        uow.require_group_writable(group_id)
        uow.replace_funnel(shrunk, expected_structure=funnel.structureVersion)
        uow.release_step_slug(step)
        metadata = {"funnelId": funnel_id, "sequence": funnel.stepIds.index(step_id) + 1}
        uow.record(audit_event(EventType.STEP_REMOVED, caller, group_id, step_id, metadata, at))
        uow.commit()
        return step

    removed = retry_races(attempt)
    store.delete_unreachable(
        group_id, funnel_id, [step_id], [(step_id, element_id) for element_id in removed.elementIds]
    )


def reorder_steps(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, body: StepOrder) -> FunnelView:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)
    aggregate = load_funnel(store, group_id, funnel_id)
    require_editable(aggregate.funnel)
    funnel = aggregate.funnel
    if sorted(body.stepIds) != sorted(funnel.stepIds):
        raise ValidationFailed.on("stepIds", "must list every step of the funnel exactly once")
    at = now_iso()
    reordered = funnel.model_copy(
        update={"stepIds": list(body.stepIds), "structureVersion": funnel.structureVersion + 1, "updatedAt": at}
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.replace_funnel(reordered, expected_structure=funnel.structureVersion)
    metadata = {"from": funnel.stepIds, "to": reordered.stepIds}
    uow.record(audit_event(EventType.STEP_REORDERED, caller, group_id, funnel_id, metadata, at))
    uow.commit()
    return aggregate.model_copy(update={"funnel": reordered}).view()


# ---------------------------------------------------------------- copies


def duplicate_funnel(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str) -> FunnelView:
    """A new draft "<name> (Copy)" with every step and element, all or nothing."""
    access = authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.MANAGE)
    aggregate = load_funnel(store, group_id, funnel_id)
    source = aggregate.funnel
    copy = create_copy(
        store,
        caller,
        access.group,
        name=f"{source.name[:190]} (Copy)",
        slug=f"{source.slug[:58]}-copy",
        properties=source.properties,
        blueprint=blueprint_of(aggregate),
        event=EventType.FUNNEL_DUPLICATED,
        event_metadata={"sourceFunnelId": funnel_id},
        template_id=source.templateId,
        unique_name=True,
    )
    return copy.view()


# ---------------------------------------------------------------- assignees


def assign(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, person_id: str) -> Connection:
    """Assign a group_user of the group to the funnel: they may then read and edit it."""
    membership_ref: ItemRef = ("membership", person_id)
    refs = [membership_ref, funnel_ref(funnel_id)]
    access = authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.MANAGE, items=refs)
    access.funnel(funnel_id)  # it exists
    membership = access.found(Membership, membership_ref)
    if membership is None or membership.role is not Role.GROUP_USER:
        raise ValidationFailed.on("personId", "only a group_user of this group is assigned to funnels")
    at = now_iso()
    assignment = Connection(
        connectionId=new_id("con"),
        groupId=group_id,
        fromThingId=person_id,
        toThingId=funnel_id,
        relationshipType="assigned_to",
        validFrom=at,
        createdAt=at,
        updatedAt=at,
        createdBy=caller.person_id,
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.assign(assignment)
    metadata = {"from": person_id, "to": funnel_id, "relationshipType": "assigned_to"}
    uow.record(audit_event(EventType.CONNECTION_CREATED, caller, group_id, funnel_id, metadata, at))
    uow.commit()
    return assignment


def unassign(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, person_id: str) -> None:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.MANAGE)
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.unassign(group_id, person_id, funnel_id)
    metadata = {"from": person_id, "to": funnel_id, "relationshipType": "assigned_to"}
    uow.record(audit_event(EventType.CONNECTION_ENDED, caller, group_id, funnel_id, metadata))
    uow.commit()
