"""Publishing: a funnel is checked and frozen into an immutable, numbered version that visitors
are served, while the draft stays editable. Versions are listed and any one can be made live
again (rollback).

A version is the whole funnel view (funnel, steps in sequence, elements in position) as
compressed JSON, cut into parts under DynamoDB's 400 KB item limit and written with the
funnel's new state and the audit event in one transaction, so it appears whole or not at all.
"""

from __future__ import annotations

import hashlib
import zlib

from pydantic import ValidationError

from funnel_core.auth.access import FunnelAction, authorize_funnel, funnel_ref
from funnel_core.auth.caller import Caller
from funnel_core.domain.aggregate import load_funnel, require_editable
from funnel_core.domain.common import audit_event, page_request
from funnel_core.errors import FieldProblem, NotFound, PayloadTooLarge, ValidationFailed
from funnel_core.ids import now_iso
from funnel_core.models.builder import (
    FunnelAggregate,
    FunnelStatus,
    FunnelView,
    PublishedVersion,
    PublishResult,
    VersionSummary,
)
from funnel_core.models.common import Page
from funnel_core.models.elements import validate_element_settings
from funnel_core.models.events import EventType
from funnel_core.models.funnels import validate_step_properties
from funnel_core.store.ontology import OntologyStore

PART_BYTES = 350_000
# A transaction carries at most 4 MB; the funnel item and the event need a little of it.
MAX_SNAPSHOT_BYTES = 3_500_000


def publication_problems(aggregate: FunnelAggregate) -> list[FieldProblem]:
    """Everything that stops a funnel from being published, each named by where it is."""
    funnel = aggregate.funnel
    if not funnel.stepIds:
        return [FieldProblem("steps", "a funnel needs at least one step to be published")]
    problems = []
    for sequence, step_id in enumerate(funnel.stepIds, start=1):
        step = aggregate.steps.get(step_id)
        where = f"steps.{sequence}"
        if step is None:
            problems.append(FieldProblem(where, f"step {step_id} is missing"))
            continue
        try:
            validate_step_properties(step.stepType, step.properties)
        except ValidationError as error:
            problems += [FieldProblem(f"{where}.properties.{_loc(e['loc'])}", e["msg"]) for e in error.errors()]
        for position, element_id in enumerate(step.elementIds, start=1):
            element = aggregate.elements.get(element_id)
            if element is None:
                problems.append(FieldProblem(f"{where}.elements.{position}", f"element {element_id} is missing"))
                continue
            try:
                validate_element_settings(element.elementType, element.settings)
            except ValidationError as error:
                problems += [
                    FieldProblem(f"{where}.elements.{position}.settings.{_loc(e['loc'])}", e["msg"])
                    for e in error.errors()
                ]
    return problems


def _loc(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location)


def freeze(view: FunnelView) -> bytes:
    """The snapshot a version stores: the view as compressed JSON."""
    return zlib.compress(view.model_dump_json().encode(), level=9)


def split(snapshot: bytes) -> list[bytes]:
    return [snapshot[start : start + PART_BYTES] for start in range(0, len(snapshot), PART_BYTES)]


def publish(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str) -> PublishResult:
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.MANAGE)
    aggregate = load_funnel(store, group_id, funnel_id)
    require_editable(aggregate.funnel)
    problems = publication_problems(aggregate)
    if problems:
        raise ValidationFailed(f"the funnel cannot be published: {problems[0].field}: {problems[0].message}", problems)
    view = aggregate.view()
    snapshot = freeze(view)
    if len(snapshot) > MAX_SNAPSHOT_BYTES:
        raise PayloadTooLarge(
            f"the funnel compresses to {len(snapshot)} bytes; a version holds at most {MAX_SNAPSHOT_BYTES}"
        )

    funnel, at = aggregate.funnel, now_iso()
    number = funnel.latestVersion + 1
    version = PublishedVersion(
        funnelId=funnel_id,
        groupId=group_id,
        version=number,
        publishedAt=at,
        publishedBy=caller.person_id,
        stepCount=len(view.steps),
        elementCount=sum(len(step.elements) for step in view.steps),
        bytes=len(snapshot),
        parts=len(split(snapshot)),
        sha256=hashlib.sha256(snapshot).hexdigest(),
    )
    live = funnel.model_copy(
        update={
            "status": FunnelStatus.PUBLISHED,
            "liveVersion": number,
            "latestVersion": number,
            "publishedAt": at,
            "version": funnel.version + 1,
            "updatedAt": at,
            "updatedBy": caller.person_id,
        }
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    # The structure the snapshot was taken from must still be the funnel's when it is frozen.
    uow.replace_funnel(live, expected_version=funnel.version, expected_structure=funnel.structureVersion)
    uow.add_version(version, split(snapshot))
    metadata = {"version": number, "steps": version.stepCount, "elements": version.elementCount, "bytes": version.bytes}
    uow.record(audit_event(EventType.FUNNEL_PUBLISHED, caller, group_id, funnel_id, metadata, at))
    uow.commit()
    return PublishResult(version=number, publishedAt=at)


def unpublish(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str) -> FunnelView:
    """Back to draft: no version is live, so the pages stop serving. Versions are kept."""
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.MANAGE)
    aggregate = load_funnel(store, group_id, funnel_id)
    require_editable(aggregate.funnel)
    funnel = aggregate.funnel
    if funnel.status is not FunnelStatus.PUBLISHED:
        return aggregate.view()
    at = now_iso()
    draft = funnel.model_copy(
        update={
            "status": FunnelStatus.DRAFT,
            "liveVersion": None,
            "version": funnel.version + 1,
            "updatedAt": at,
            "updatedBy": caller.person_id,
        }
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.replace_funnel(draft, expected_version=funnel.version)
    uow.record(
        audit_event(EventType.FUNNEL_UNPUBLISHED, caller, group_id, funnel_id, {"version": funnel.liveVersion}, at)
    )
    uow.commit()
    return aggregate.model_copy(update={"funnel": draft}).view()


def list_versions(
    store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, limit: int, cursor: str | None
) -> Page[VersionSummary]:
    access = authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.READ, items=[funnel_ref(funnel_id)])
    live = access.funnel(funnel_id).liveVersion
    page = store.list_versions(
        group_id, funnel_id, page_request(caller, "versions", limit, cursor, group=group_id, funnel=funnel_id)
    )
    items = [VersionSummary(**version.model_dump(), live=version.version == live) for version in page.items]
    return Page[VersionSummary](items=items, nextCursor=page.nextCursor)


def read_version(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, number: int) -> FunnelView:
    """The funnel exactly as it was published as version ``number``."""
    authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.READ)
    return published_view(store, group_id, funnel_id, number)


def published_view(store: OntologyStore, group_id: str, funnel_id: str, number: int) -> FunnelView:
    version = store.get_version(group_id, funnel_id, number)
    if version is None:
        raise NotFound(f"funnel {funnel_id} has no version {number}")
    snapshot = store.read_version_snapshot(group_id, funnel_id, number)
    if hashlib.sha256(snapshot).hexdigest() != version.sha256:
        raise RuntimeError(f"version {number} of funnel {funnel_id} is damaged")
    return FunnelView.model_validate_json(zlib.decompress(snapshot))


def restore(store: OntologyStore, caller: Caller, group_id: str, funnel_id: str, number: int) -> PublishResult:
    """Make version ``number`` live again; the draft is left as it is."""
    access = authorize_funnel(store, caller, group_id, funnel_id, FunnelAction.MANAGE, items=[funnel_ref(funnel_id)])
    funnel = access.funnel(funnel_id)
    require_editable(funnel)
    if store.get_version(group_id, funnel_id, number) is None:
        raise NotFound(f"funnel {funnel_id} has no version {number}")
    at = now_iso()
    live = funnel.model_copy(
        update={
            "status": FunnelStatus.PUBLISHED,
            "liveVersion": number,
            "publishedAt": at,
            "version": funnel.version + 1,
            "updatedAt": at,
            "updatedBy": caller.person_id,
        }
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.replace_funnel(live, expected_version=funnel.version)
    metadata = {"version": number, "restored": True, "previousLiveVersion": funnel.liveVersion}
    uow.record(audit_event(EventType.FUNNEL_PUBLISHED, caller, group_id, funnel_id, metadata, at))
    uow.commit()
    return PublishResult(version=number, publishedAt=at)
