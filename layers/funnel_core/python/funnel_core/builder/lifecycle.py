"""A funnel's states: draft -> published (a version live) -> back to draft on unpublish, any
version made live again (rollback), archived. Every move is one transition: the funnel item
written back at the version it was read at, with what the move writes besides and its event."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from funnel_core.audit.events import EventType
from funnel_core.builder import live
from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.builder.aggregate import require_editable
from funnel_core.builder.models.aggregate import Funnel, FunnelStatus, FunnelView
from funnel_core.builder.models.versions import PublishedVersion, PublishResult
from funnel_core.builder.offers import sold_products
from funnel_core.builder.publishing import MAX_SNAPSHOT_BYTES, freeze, publication_problems, split
from funnel_core.builder.store.versions import VersionStore
from funnel_core.builder.structure import Structure
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import NotFound, PayloadTooLarge, ValidationFailed
from funnel_core.ids import now_iso
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.table import Table


class Lifecycle:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.funnel_access = FunnelAuthorizer(access)
        self.structure = Structure(table)
        self.versions = VersionStore(table)

    def _transition(
        self,
        caller: Caller,
        funnel: Funnel,
        at: str,
        to: dict[str, Any],
        event: EventType,
        metadata: dict[str, Any],
        *,
        writes: Callable[[Change], None] | None = None,
        expected_structure: int | None = None,
    ) -> Funnel:
        moved = funnel.model_copy(
            update={**to, "version": funnel.version + 1, "updatedAt": at, "updatedBy": caller.person_id}
        )
        with self.table.change(caller.person_id, funnel.groupId) as change:
            self.structure.funnels.replace(
                change, moved, expected_version=funnel.version, expected_structure=expected_structure
            )
            if writes is not None:
                writes(change)
            change.record(event, funnel.funnelId, metadata, at)
        live.changed(funnel.groupId, funnel.funnelId)
        return moved

    def publish(self, caller: Caller, group_id: str, funnel_id: str) -> PublishResult:
        """Freeze the funnel into a new numbered version and make it live; the draft stays."""
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.MANAGE)
        aggregate = self.structure.load(group_id, funnel_id)
        require_editable(aggregate.funnel)
        problems = publication_problems(aggregate)
        view = aggregate.view()
        if not problems:
            products, problems = sold_products(self.table, group_id, view)
            view = view.model_copy(update={"products": products})
        if problems:
            raise ValidationFailed(
                f"the funnel cannot be published: {problems[0].field}: {problems[0].message}", problems
            )
        snapshot = freeze(view)
        if len(snapshot) > MAX_SNAPSHOT_BYTES:
            raise PayloadTooLarge(
                f"the funnel compresses to {len(snapshot)} bytes; a version holds at most {MAX_SNAPSHOT_BYTES}"
            )
        funnel, at = aggregate.funnel, now_iso()
        number = funnel.latestVersion + 1
        parts = split(snapshot)
        version = PublishedVersion(
            funnelId=funnel_id,
            groupId=group_id,
            version=number,
            publishedAt=at,
            publishedBy=caller.person_id,
            stepCount=len(view.steps),
            elementCount=sum(len(step.elements) for step in view.steps),
            bytes=len(snapshot),
            parts=len(parts),
            sha256=hashlib.sha256(snapshot).hexdigest(),
        )
        live = {"status": FunnelStatus.PUBLISHED, "liveVersion": number, "latestVersion": number, "publishedAt": at}
        metadata = {
            "version": number,
            "steps": version.stepCount,
            "elements": version.elementCount,
            "bytes": version.bytes,
        }
        self._transition(
            caller,
            funnel,
            at,
            live,
            EventType.FUNNEL_PUBLISHED,
            metadata,
            writes=lambda change: self.versions.add(change, version, parts),
            # The structure the snapshot was taken from must still be the funnel's when it is frozen.
            expected_structure=funnel.structureVersion,
        )
        return PublishResult(version=number, publishedAt=at)

    def unpublish(self, caller: Caller, group_id: str, funnel_id: str) -> FunnelView:
        """Back to draft: no version is live, so the pages stop serving. Versions are kept."""
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.MANAGE)
        aggregate = self.structure.load(group_id, funnel_id)
        funnel = aggregate.funnel
        require_editable(funnel)
        if funnel.status is not FunnelStatus.PUBLISHED:
            return aggregate.view()
        to = {"status": FunnelStatus.DRAFT, "liveVersion": None}
        draft = self._transition(
            caller, funnel, now_iso(), to, EventType.FUNNEL_UNPUBLISHED, {"version": funnel.liveVersion}
        )
        return aggregate.model_copy(update={"funnel": draft}).view()

    def restore(self, caller: Caller, group_id: str, funnel_id: str, number: int) -> PublishResult:
        """Make version ``number`` live again; the draft is left as it is."""
        _, funnel = self.funnel_access.with_funnel(caller, group_id, funnel_id, FunnelAction.MANAGE)
        require_editable(funnel)
        if self.versions.get(group_id, funnel_id, number) is None:
            raise NotFound(f"funnel {funnel_id} has no version {number}")
        at = now_iso()
        to = {"status": FunnelStatus.PUBLISHED, "liveVersion": number, "publishedAt": at}
        metadata = {"version": number, "restored": True, "previousLiveVersion": funnel.liveVersion}
        self._transition(caller, funnel, at, to, EventType.FUNNEL_PUBLISHED, metadata)
        return PublishResult(version=number, publishedAt=at)

    def archive(self, caller: Caller, group_id: str, funnel_id: str) -> FunnelView:
        """Archive (never delete): it stops serving, and its name and slug are free for a new funnel."""
        access = self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.MANAGE)
        aggregate = self.structure.load(group_id, funnel_id)
        funnel = aggregate.funnel
        if funnel.status is FunnelStatus.ARCHIVED:
            return aggregate.view()
        funnels = self.structure.funnels

        def free_the_name(change: Change) -> None:
            funnels.count(change, access.group, -1)
            funnels.release_name(change, group_id, funnel.name)
            funnels.release_slug(change, group_id, funnel.slug)

        to = {"status": FunnelStatus.ARCHIVED, "liveVersion": None}
        metadata = {"previousStatus": funnel.status}
        archived = self._transition(
            caller, funnel, now_iso(), to, EventType.FUNNEL_ARCHIVED, metadata, writes=free_the_name
        )
        return aggregate.model_copy(update={"funnel": archived}).view()


@once
def service() -> Lifecycle:
    return Lifecycle(table(), authorizer())
