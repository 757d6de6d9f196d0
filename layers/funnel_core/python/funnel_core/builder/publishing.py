"""Published versions as data: what stops a funnel from being published, the frozen snapshot a
version stores (the whole funnel view as compressed JSON, cut into parts under DynamoDB's 400 KB
item limit), and reading versions back. Making a version live is a state change (``lifecycle``)."""

from __future__ import annotations

import hashlib
import zlib

from pydantic import ValidationError

from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.builder.models.aggregate import FunnelAggregate, FunnelView
from funnel_core.builder.models.elements import validate_element_settings
from funnel_core.builder.models.steps import validate_step_properties
from funnel_core.builder.models.versions import VersionSummary
from funnel_core.builder.store.versions import VersionStore
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import FieldProblem, NotFound
from funnel_core.models.common import Page
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Table

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


class Versions:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.funnel_access = FunnelAuthorizer(access)
        self.versions = VersionStore(table)

    def list(
        self, caller: Caller, group_id: str, funnel_id: str, limit: int, cursor: str | None
    ) -> Page[VersionSummary]:
        _, funnel = self.funnel_access.with_funnel(caller, group_id, funnel_id, FunnelAction.READ)
        page = page_request(caller.person_id, "versions", limit, cursor, group=group_id, funnel=funnel_id)
        found = self.versions.list(group_id, funnel_id, page)
        items = [
            VersionSummary(**version.model_dump(), live=version.version == funnel.liveVersion)
            for version in found.items
        ]
        return Page[VersionSummary](items=items, nextCursor=found.nextCursor)

    def read(self, caller: Caller, group_id: str, funnel_id: str, number: int) -> FunnelView:
        """The funnel exactly as it was published as version ``number``."""
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.READ)
        return self.published_view(group_id, funnel_id, number)

    def published_view(self, group_id: str, funnel_id: str, number: int) -> FunnelView:
        version = self.versions.get(group_id, funnel_id, number)
        if version is None:
            raise NotFound(f"funnel {funnel_id} has no version {number}")
        snapshot = self.versions.snapshot(group_id, funnel_id, number)
        if hashlib.sha256(snapshot).hexdigest() != version.sha256:
            raise RuntimeError(f"version {number} of funnel {funnel_id} is damaged")
        return FunnelView.model_validate_json(zlib.decompress(snapshot))


@once
def service() -> Versions:
    return Versions(table(), authorizer())
