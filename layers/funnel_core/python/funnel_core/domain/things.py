"""Things of any type through the generic routes; funnel-builder types have routes of their own."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from funnel_core.auth.access import Action, authorize
from funnel_core.auth.caller import Caller
from funnel_core.domain.common import audit_event, page_request, require_size, validation_failed
from funnel_core.errors import NotFound, ValidationFailed, VersionConflict
from funnel_core.ids import new_id, now_iso
from funnel_core.models.builder import FunnelStep
from funnel_core.models.common import Page
from funnel_core.models.events import EventType
from funnel_core.models.properties import BUILDER_TYPE_ROUTES, validate_properties
from funnel_core.models.things import Thing, ThingCreate, ThingStatus, ThingUpdate
from funnel_core.store.keys import is_funnel_part
from funnel_core.store.ontology import LocatedPart, OntologyStore


def _refuse_builder_type(thing_type: str) -> None:
    route = BUILDER_TYPE_ROUTES.get(thing_type)
    if route is not None:
        raise ValidationFailed.on("type", f"things of type '{thing_type}' are written through {route}")


def _valid_properties(thing_type: str, properties: dict[str, Any]) -> dict[str, Any]:
    require_size("properties", properties)
    try:
        return validate_properties(thing_type, properties)
    except ValidationError as error:
        raise validation_failed(error, "properties") from None


def create_thing(store: OntologyStore, caller: Caller, group_id: str, body: ThingCreate) -> Thing:
    _refuse_builder_type(body.type)
    if body.status is ThingStatus.ARCHIVED:
        raise ValidationFailed.on("status", "a thing cannot be created archived")
    properties = _valid_properties(body.type, body.properties)
    authorize(store, caller, group_id, Action.WRITE_CONTENT)
    at = now_iso()
    thing = Thing(
        thingId=new_id("thg"),
        groupId=group_id,
        type=body.type,
        name=body.name,
        status=body.status,
        properties=properties,
        createdAt=at,
        updatedAt=at,
        createdBy=caller.person_id,
        updatedBy=caller.person_id,
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.add_thing(thing)
    metadata = {"entity": "thing", "type": thing.type, "name": thing.name}
    uow.record(audit_event(EventType.ENTITY_CREATED, caller, group_id, thing.thingId, metadata, at))
    uow.commit()
    return thing


def list_things(
    store: OntologyStore,
    caller: Caller,
    group_id: str,
    thing_type: str | None,
    status: ThingStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[Thing]:
    authorize(store, caller, group_id, Action.READ_CONTENT)
    page = page_request(caller, "things", limit, cursor, group=group_id, type=thing_type, status=status)
    return store.list_things(group_id, thing_type, status, page)


def _thing(store: OntologyStore, caller: Caller, group_id: str, thing_id: str, action: Action) -> Thing:
    if is_funnel_part(thing_id):
        # Steps and elements live with their funnel; their id alone finds them by index.
        authorize(store, caller, group_id, action)
        located = store.locate_funnel_part(group_id, thing_id)
        if located is None:
            raise NotFound(f"thing {thing_id} not found")
        return _part_as_thing(located)
    thing = authorize(store, caller, group_id, action, items=[("thing", thing_id)]).found(Thing, ("thing", thing_id))
    if thing is None:
        raise NotFound(f"thing {thing_id} not found")
    return thing


def _part_as_thing(located: LocatedPart) -> Thing:
    """A step or element as the generic routes show every thing; its own fields, its place and
    its funnel are in ``properties``, and its status is its funnel's."""
    part, funnel = located.part, located.funnel
    if isinstance(part, FunnelStep):
        thing_type, thing_id, name = "funnel_step", part.stepId, part.name
        properties = {
            **part.properties,
            "funnelId": part.funnelId,
            "stepType": part.stepType,
            "slug": part.slug,
            "sequence": located.place,
            "elementIds": part.elementIds,
        }
    else:
        thing_type, thing_id, name = "page_element", part.elementId, part.elementType
        properties = {
            "funnelId": part.funnelId,
            "stepId": part.stepId,
            "elementType": part.elementType,
            "position": located.place,
            "settings": part.settings,
            "styling": part.styling,
            "visibility": part.visibility,
        }
    made_by = part.createdBy or funnel.createdBy
    return Thing(
        thingId=thing_id,
        groupId=part.groupId,
        type=thing_type,
        name=name,
        status=ThingStatus(funnel.status),
        properties=properties,
        version=part.version,
        createdAt=part.createdAt,
        updatedAt=part.updatedAt,
        createdBy=made_by,
        updatedBy=made_by,
    )


def get_thing(store: OntologyStore, caller: Caller, group_id: str, thing_id: str) -> Thing:
    return _thing(store, caller, group_id, thing_id, Action.READ_CONTENT)


def update_thing(store: OntologyStore, caller: Caller, group_id: str, thing_id: str, body: ThingUpdate) -> Thing:
    thing = _thing(store, caller, group_id, thing_id, Action.WRITE_CONTENT)
    _refuse_builder_type(thing.type)
    if body.version != thing.version:
        raise VersionConflict(f"thing {thing_id} is at version {thing.version}, not {body.version}")
    if body.status is ThingStatus.ARCHIVED:
        raise ValidationFailed.on("status", "archive a thing with DELETE")
    changes: dict[str, Any] = {}
    if body.name is not None:
        changes["name"] = body.name
    if body.status is not None:
        changes["status"] = body.status
    if body.properties is not None:
        changes["properties"] = _valid_properties(thing.type, body.properties)
    updated = thing.model_copy(
        update={**changes, "version": thing.version + 1, "updatedAt": now_iso(), "updatedBy": caller.person_id}
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.replace_thing(updated, thing.version)
    metadata = {"entity": "thing", "type": thing.type, "changed": sorted(changes)}
    uow.record(audit_event(EventType.ENTITY_UPDATED, caller, group_id, thing_id, metadata, updated.updatedAt))
    uow.commit()
    return updated


def archive_thing(store: OntologyStore, caller: Caller, group_id: str, thing_id: str) -> Thing:
    thing = _thing(store, caller, group_id, thing_id, Action.WRITE_CONTENT)
    _refuse_builder_type(thing.type)
    if thing.status is ThingStatus.ARCHIVED:
        return thing
    archived = thing.model_copy(
        update={
            "status": ThingStatus.ARCHIVED,
            "version": thing.version + 1,
            "updatedAt": now_iso(),
            "updatedBy": caller.person_id,
        }
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.replace_thing(archived, thing.version)
    metadata = {"entity": "thing", "type": thing.type, "previousStatus": thing.status}
    uow.record(audit_event(EventType.ENTITY_ARCHIVED, caller, group_id, thing_id, metadata, archived.updatedAt))
    uow.commit()
    return archived
