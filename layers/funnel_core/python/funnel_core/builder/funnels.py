"""Funnels: created from scratch or from a template, listed, read, edited, duplicated."""

from __future__ import annotations

from funnel_core.audit.events import EventType
from funnel_core.builder import live
from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.builder.aggregate import require_editable
from funnel_core.builder.copying import Copies, blueprint_of, blueprint_of_template, copied
from funnel_core.builder.models.aggregate import Funnel, FunnelStatus, FunnelView
from funnel_core.builder.models.funnels import FunnelCreate, FunnelUpdate
from funnel_core.builder.models.templates import FunnelTemplate
from funnel_core.builder.store.assignments import AssignmentStore
from funnel_core.builder.structure import Structure
from funnel_core.builder.templates import Templates
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import Forbidden, NotFound, ValidationFailed
from funnel_core.ids import now_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.ontology.connections import new_connection
from funnel_core.ontology.connections import service_on as connections_on
from funnel_core.ontology.models.groups import Group
from funnel_core.ontology.models.members import Role
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Table
from funnel_core.validation import given, require_version, slugify


class Funnels:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access
        self.funnel_access = FunnelAuthorizer(access)
        self.structure = Structure(table)
        self.copies = Copies(table)
        self.templates = Templates(table, access)
        self.assignments = AssignmentStore(table)

    def create(self, caller: Caller, group_id: str, body: FunnelCreate) -> FunnelView:
        group = self.funnel_access.authorize(caller, group_id, None, FunnelAction.MANAGE).group
        if body.templateId is not None:
            return self._from_template(caller, group, body)
        made = self.copies.new_funnel(
            caller,
            group,
            name=body.name,
            slug=body.slug or slugify(body.name, fallback="funnel"),
            derived_slug=body.slug is None,
            properties=body.properties.model_dump(mode="json", exclude_none=True),
            event=EventType.FUNNEL_CREATED,
            event_metadata=lambda funnel: {"name": funnel.name, "slug": funnel.slug},
        )
        return made.view()

    def _from_template(self, caller: Caller, group: Group, body: FunnelCreate) -> FunnelView:
        """A new draft funnel from a funnel template: a deep copy with new ids, all or nothing."""
        assert body.templateId is not None
        template = self.templates.resolve(group.groupId, body.templateId)
        if not isinstance(template, FunnelTemplate):
            raise ValidationFailed.on("templateId", "a page template makes a step: POST .../steps with pageTemplateId")
        properties = template.properties.model_dump(mode="json", exclude_none=True)
        properties |= body.properties.model_dump(mode="json", exclude_none=True, exclude_unset=True)

        def based_on(change: Change, funnel: Funnel) -> None:
            link = new_connection(
                group.groupId,
                funnel.funnelId,
                template.templateId,
                "funnel_based_on_template",
                caller.person_id,
                funnel.createdAt,
                {"scope": template.scope},
            )
            connections_on(self.table).add(change, link)
            self.templates.count_use(change, template)

        blueprint = blueprint_of_template(template.steps)
        made = self.copies.new_funnel(
            caller,
            group,
            name=body.name,
            slug=body.slug or slugify(body.name, fallback="funnel"),
            derived_slug=body.slug is None,
            properties=properties,
            blueprint=blueprint,
            event=EventType.FUNNEL_CREATED,
            event_metadata=copied(blueprint, name=body.name, templateId=template.templateId),
            template_id=template.templateId,
            writes=based_on,
        )
        return made.view()

    def list(
        self, caller: Caller, group_id: str, status: FunnelStatus | None, limit: int, cursor: str | None
    ) -> Page[Funnel]:
        access = self.access.authorize(caller, group_id, Action.READ_GROUP)
        page = page_request(caller.person_id, "funnels", limit, cursor, group=group_id, status=status)
        if access.allows(Action.READ_CONTENT):
            return self.structure.funnels.list(group_id, status, page)
        if access.role is not Role.GROUP_USER:
            raise Forbidden(f"your role ({access.role}) does not let you read the group's funnels")
        # A group_user sees the funnels assigned to them, a page of assignments at a time.
        assignments = self.assignments.list_of(group_id, caller.person_id, page)
        funnels = self.structure.funnels.get_many(group_id, [assignment.toThingId for assignment in assignments.items])
        visible = [funnel for funnel in funnels if status is None or funnel.status == status]
        return Page[Funnel](items=visible, nextCursor=assignments.nextCursor)

    def get(self, caller: Caller, group_id: str, funnel_id: str) -> FunnelView:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.READ)
        return self.structure.load(group_id, funnel_id).view()

    def update(self, caller: Caller, group_id: str, funnel_id: str, body: FunnelUpdate) -> FunnelView:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)
        aggregate = self.structure.load(group_id, funnel_id)
        funnel = aggregate.funnel
        require_editable(funnel)
        require_version(f"funnel {funnel_id}", funnel.version, body.version)
        changes = given(body, "name", "slug")
        if body.properties is not None:
            changes["properties"] = body.properties.model_dump(mode="json", exclude_none=True)
        at = now_iso()
        updated = funnel.model_copy(
            update={**changes, "version": funnel.version + 1, "updatedAt": at, "updatedBy": caller.person_id}
        )
        funnels = self.structure.funnels
        with self.table.change(caller.person_id, group_id) as change:
            if updated.name.casefold() != funnel.name.casefold():
                funnels.release_name(change, group_id, funnel.name)
                funnels.claim_name(change, group_id, updated.name, funnel_id)
            if updated.slug != funnel.slug:
                funnels.release_slug(change, group_id, funnel.slug)
                funnels.claim_slug(change, group_id, updated.slug, funnel_id)
            funnels.replace(change, updated, expected_version=funnel.version)
            change.record(EventType.ENTITY_UPDATED, funnel_id, {"entity": "funnel", "changed": sorted(changes)}, at)
        if updated.slug != funnel.slug and funnel.status is FunnelStatus.PUBLISHED:
            # The live version keeps its content; its pages move to the new URL.
            live.changed(group_id, funnel_id)
        return aggregate.model_copy(update={"funnel": updated}).view()

    def duplicate(self, caller: Caller, group_id: str, funnel_id: str) -> FunnelView:
        """A new draft "<name> (Copy)" with every step and element, all or nothing."""
        access = self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.MANAGE)
        aggregate = self.structure.load(group_id, funnel_id)
        source = aggregate.funnel
        blueprint = blueprint_of(aggregate)
        made = self.copies.new_funnel(
            caller,
            access.group,
            name=f"{source.name[:190]} (Copy)",
            slug=f"{source.slug[:58]}-copy",
            properties=source.properties,
            blueprint=blueprint,
            event=EventType.FUNNEL_DUPLICATED,
            event_metadata=copied(blueprint, sourceFunnelId=funnel_id),
            template_id=source.templateId,
            unique_name=True,
        )
        return made.view()


def steps_in_order(table: Table, group_id: str, funnel_id: str) -> list[tuple[str, str]] | None:
    """A funnel's steps as (id, name) in sequence, for a reader that is not a caller (the
    scheduled analytics job); None when there is no such funnel."""
    try:
        view = Structure(table).load(group_id, funnel_id).view()
        # As visitors walk it: an A/B test's variants are counted under their control.
        return [(step.stepId, step.name) for step in view.steps if step.stepId not in view.held_out()]
    except NotFound:
        return None


@once
def service() -> Funnels:
    return Funnels(table(), authorizer())
