"""Page elements of a step: added, changed, removed and reordered within the step."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from funnel_core.auth.access import FunnelAction, authorize_funnel
from funnel_core.auth.caller import Caller
from funnel_core.domain.aggregate import find_element, find_step, load_funnel, require_editable, retry_races
from funnel_core.domain.common import audit_event, require_size, validation_failed
from funnel_core.errors import LimitExceeded, ValidationFailed, VersionConflict
from funnel_core.ids import new_id, now_iso
from funnel_core.models.builder import ElementView, PageElement, StepView
from funnel_core.models.elements import ElementCreate, ElementUpdate, validate_element_settings
from funnel_core.models.events import EventType
from funnel_core.models.funnels import ElementOrder
from funnel_core.store.ontology import OntologyStore


def add_element(
    store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, step_id: str, body: ElementCreate
) -> ElementView:
    access = authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)
    require_size("settings", body.settings)
    limit = access.group.settings.limits.maxElementsPerStep
    element_id = new_id("elm")

    def attempt() -> ElementView:
        aggregate = load_funnel(store, group_id, funnel_id)
        require_editable(aggregate.funnel)
        step = find_step(aggregate, step_id)
        if len(step.elementIds) >= limit:
            raise LimitExceeded.on_field("elementType", f"a step holds at most {limit} elements")
        at = now_iso()
        element = PageElement(
            elementId=element_id,
            stepId=step_id,
            funnelId=funnel_id,
            groupId=group_id,
            elementType=body.elementType,
            settings=body.settings,
            styling=body.styling.model_dump(mode="json", exclude_none=True),
            visibility=body.visibility.model_dump(mode="json"),
            layout=body.position.model_dump(mode="json", exclude_none=True) if body.position else None,
            createdAt=at,
            updatedAt=at,
            createdBy=caller.person_id,
        )
        grown = step.model_copy(
            update={
                "elementIds": [*step.elementIds, element_id],
                "structureVersion": step.structureVersion + 1,
                "updatedAt": at,
            }
        )
        uow = store.unit_of_work()
        uow.require_group_writable(group_id)
        uow.replace_step(grown, expected_structure=step.structureVersion)
        uow.put_element(element)
        metadata = {
            "funnelId": funnel_id,
            "stepId": step_id,
            "elementType": element.elementType,
            "position": len(grown.elementIds),
        }
        uow.record(audit_event(EventType.ELEMENT_ADDED, caller, group_id, element_id, metadata, at))
        uow.commit()
        changed = aggregate.model_copy(
            update={
                "steps": {**aggregate.steps, step_id: grown},
                "elements": {**aggregate.elements, element_id: element},
            }
        )
        return changed.element_view(step_id, element_id)

    return retry_races(attempt)


def update_element(
    store: OntologyStore,
    caller: Caller,
    group_id: str,
    funnel_id: str,
    step_id: str,
    element_id: str,
    body: ElementUpdate,
) -> ElementView:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)
    aggregate = load_funnel(store, group_id, funnel_id)
    require_editable(aggregate.funnel)
    element = find_element(aggregate, find_step(aggregate, step_id), element_id)
    if body.version != element.version:
        raise VersionConflict(f"element {element_id} is at version {element.version}, not {body.version}")
    changes: dict[str, Any] = {}
    if body.settings is not None:
        try:
            changes["settings"] = validate_element_settings(element.elementType, body.settings)
        except ValidationError as error:
            raise validation_failed(error, "settings") from None
        require_size("settings", changes["settings"])
    if body.styling is not None:
        changes["styling"] = body.styling.model_dump(mode="json", exclude_none=True)
    if body.visibility is not None:
        changes["visibility"] = body.visibility.model_dump(mode="json")
    if body.position is not None:
        changes["layout"] = body.position.model_dump(mode="json", exclude_none=True)
    at = now_iso()
    updated = element.model_copy(update={**changes, "version": element.version + 1, "updatedAt": at})
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.put_element(updated, expected_version=element.version)
    metadata = {
        "funnelId": funnel_id,
        "stepId": step_id,
        "elementType": element.elementType,
        "changed": sorted(changes),
    }
    uow.record(audit_event(EventType.ELEMENT_UPDATED, caller, group_id, element_id, metadata, at))
    uow.commit()
    changed = aggregate.model_copy(update={"elements": {**aggregate.elements, element_id: updated}})
    return changed.element_view(step_id, element_id)


def remove_element(
    store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, step_id: str, element_id: str
) -> None:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)

    def attempt() -> None:
        aggregate = load_funnel(store, group_id, funnel_id)
        require_editable(aggregate.funnel)
        step = find_step(aggregate, step_id)
        element = find_element(aggregate, step, element_id)
        at = now_iso()
        shrunk = step.model_copy(
            update={
                "elementIds": [other for other in step.elementIds if other != element_id],
                "structureVersion": step.structureVersion + 1,
                "updatedAt": at,
            }
        )
        uow = store.unit_of_work()
        uow.require_group_writable(group_id)
        uow.replace_step(shrunk, expected_structure=step.structureVersion)
        uow.delete_element(element)
        metadata = {"funnelId": funnel_id, "stepId": step_id, "elementType": element.elementType}
        uow.record(audit_event(EventType.ELEMENT_REMOVED, caller, group_id, element_id, metadata, at))
        uow.commit()

    retry_races(attempt)


def reorder_elements(
    store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, step_id: str, body: ElementOrder
) -> StepView:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.EDIT)
    aggregate = load_funnel(store, group_id, funnel_id)
    require_editable(aggregate.funnel)
    step = find_step(aggregate, step_id)
    if sorted(body.elementIds) != sorted(step.elementIds):
        raise ValidationFailed.on("elementIds", "must list every element of the step exactly once")
    at = now_iso()
    reordered = step.model_copy(
        update={"elementIds": list(body.elementIds), "structureVersion": step.structureVersion + 1, "updatedAt": at}
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.replace_step(reordered, expected_structure=step.structureVersion)
    metadata = {"funnelId": funnel_id, "stepId": step_id, "from": step.elementIds, "to": reordered.elementIds}
    uow.record(audit_event(EventType.ELEMENT_UPDATED, caller, group_id, step_id, metadata, at))
    uow.commit()
    changed = aggregate.model_copy(update={"steps": {**aggregate.steps, step_id: reordered}})
    return changed.step_view(step_id)
