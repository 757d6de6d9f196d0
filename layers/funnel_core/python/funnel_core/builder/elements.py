"""Page elements of a step: added, changed, removed and put in order within the step. Every
change to the step's order goes through ``Structure.reshape``."""

from __future__ import annotations

from typing import Any

from funnel_core.audit.events import EventType
from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.builder.aggregate import find_element, find_step, require_editable
from funnel_core.builder.models.aggregate import ElementView, FunnelAggregate, PageElement, StepView
from funnel_core.builder.models.elements import ElementCreate, ElementOrder, ElementUpdate, validate_element_settings
from funnel_core.builder.structure import Parent, Reshape, Structure, order_of, reorder
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import LimitExceeded
from funnel_core.ids import new_id, now_iso
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.store.default import table
from funnel_core.store.table import Table
from funnel_core.validation import checked, require_size, require_version


class Elements:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.funnel_access = FunnelAuthorizer(access)
        self.structure = Structure(table)

    def add(self, caller: Caller, group_id: str, funnel_id: str, step_id: str, body: ElementCreate) -> ElementView:
        access = self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)
        require_size("settings", body.settings)
        limit = access.group.settings.limits.maxElementsPerStep
        element_id = new_id("elm")

        def plan(aggregate: FunnelAggregate, step: Parent, at: str) -> Reshape:
            elements = order_of(step)
            if len(elements) >= limit:
                raise LimitExceeded.on_field("elementType", f"a step holds at most {limit} elements")
            element = PageElement(
                elementId=element_id,
                stepId=step_id,
                funnelId=funnel_id,
                groupId=group_id,
                elementType=body.elementType,
                settings=body.settings,
                styling=body.styling.model_dump(mode="json", exclude_none=True),
                visibility=body.visibility.model_dump(mode="json"),
                layout=body.layout.model_dump(mode="json", exclude_none=True) if body.layout else None,
                createdAt=at,
                updatedAt=at,
                createdBy=caller.person_id,
            )
            metadata = {
                "funnelId": funnel_id,
                "stepId": step_id,
                "elementType": element.elementType,
                "position": len(elements) + 1,
            }
            return Reshape(
                order=[*elements, element_id],
                event=EventType.ELEMENT_ADDED,
                target=element_id,
                metadata=metadata,
                writes=lambda change: self.structure.parts.add_element(change, element),
                added=[element],
            )

        changed = self.structure.reshape(caller, group_id, funnel_id, step_id, plan)
        return changed.element_view(step_id, element_id)

    def update(
        self, caller: Caller, group_id: str, funnel_id: str, step_id: str, element_id: str, body: ElementUpdate
    ) -> ElementView:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)
        aggregate = self.structure.load(group_id, funnel_id)
        require_editable(aggregate.funnel)
        element = find_element(aggregate, find_step(aggregate, step_id), element_id)
        require_version(f"element {element_id}", element.version, body.version)
        changes: dict[str, Any] = {}
        if body.settings is not None:
            changes["settings"] = checked(
                "settings", body.settings, lambda value: validate_element_settings(element.elementType, value)
            )
        if body.styling is not None:
            changes["styling"] = body.styling.model_dump(mode="json", exclude_none=True)
        if body.visibility is not None:
            changes["visibility"] = body.visibility.model_dump(mode="json")
        if body.layout is not None:
            changes["layout"] = body.layout.model_dump(mode="json", exclude_none=True)
        at = now_iso()
        updated = element.model_copy(update={**changes, "version": element.version + 1, "updatedAt": at})
        with self.table.change(caller.person_id, group_id) as change:
            self.structure.parts.replace_element(change, updated, element.version)
            metadata = {
                "funnelId": funnel_id,
                "stepId": step_id,
                "elementType": element.elementType,
                "changed": sorted(changes),
            }
            change.record(EventType.ELEMENT_UPDATED, element_id, metadata, at)
        return aggregate.model_copy(update={"elements": {**aggregate.elements, element_id: updated}}).element_view(
            step_id, element_id
        )

    def remove(self, caller: Caller, group_id: str, funnel_id: str, step_id: str, element_id: str) -> None:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)

        def plan(aggregate: FunnelAggregate, step: Parent, at: str) -> Reshape:
            element = find_element(aggregate, find_step(aggregate, step_id), element_id)
            return Reshape(
                order=[other for other in order_of(step) if other != element_id],
                event=EventType.ELEMENT_REMOVED,
                target=element_id,
                metadata={"funnelId": funnel_id, "stepId": step_id, "elementType": element.elementType},
                writes=lambda change: self.structure.parts.delete_element(change, element),
            )

        self.structure.reshape(caller, group_id, funnel_id, step_id, plan)

    def reorder(self, caller: Caller, group_id: str, funnel_id: str, step_id: str, body: ElementOrder) -> StepView:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)
        changed = self.structure.reshape(caller, group_id, funnel_id, step_id, reorder(body.elementIds), retry=False)
        return changed.step_view(step_id)


@once
def service() -> Elements:
    return Elements(table(), authorizer())
