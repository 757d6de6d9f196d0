"""Templates: the system catalog and a group's own, saved from a funnel or a step. Made into new
funnels (``funnels``) and new steps (``steps``) as deep copies (``copying``)."""

from __future__ import annotations

import zlib
from typing import Any

from pydantic import BaseModel, ValidationError

from funnel_core.audit.events import EventType
from funnel_core.builder.aggregate import find_step
from funnel_core.builder.catalog import find_system_template, list_system_templates
from funnel_core.builder.models.aggregate import StepView
from funnel_core.builder.models.funnels import FunnelCategory
from funnel_core.builder.models.templates import (
    FunnelTemplate,
    PageTemplate,
    StoredTemplate,
    TemplateKind,
    TemplateSave,
    TemplateSummary,
)
from funnel_core.builder.store.templates import TemplateStore
from funnel_core.builder.structure import Structure
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import NotFound, PayloadTooLarge, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Table
from funnel_core.validation import validation_failed

MAX_TEMPLATE_BYTES = 350_000
AnyTemplate = FunnelTemplate | PageTemplate


def summary(template: AnyTemplate, usage: int) -> TemplateSummary:
    steps = template.steps if isinstance(template, FunnelTemplate) else [template.step]
    return TemplateSummary(
        templateId=template.templateId,
        kind=template.kind,
        scope=template.scope,
        name=template.name,
        category=template.category,
        tags=template.tags,
        description=template.description,
        previewImageUrl=template.previewImageUrl,
        usageCount=usage,
        stepCount=len(steps),
    )


def _template_step(step: StepView) -> dict[str, Any]:
    """A step as a template holds it: what adding it to a funnel takes."""
    return {
        "name": step.name,
        "slug": step.slug,
        "stepType": step.stepType,
        "properties": step.properties,
        "elements": [
            {
                "elementType": element.elementType,
                "settings": element.settings,
                "styling": element.styling,
                "visibility": element.visibility,
                **({"layout": element.layout} if element.layout else {}),
            }
            for element in step.elements
        ],
    }


class Templates:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access
        self.templates = TemplateStore(table)
        self.structure = Structure(table)

    def catalog(self, kind: TemplateKind | None, category: FunnelCategory | None) -> list[TemplateSummary]:
        templates = list_system_templates(kind=kind, category=category.value if category else None)
        usage = self.templates.usage([template.templateId for template in templates])
        return [summary(template, usage.get(template.templateId, 0)) for template in templates]

    def system_template(self, template_id: str) -> AnyTemplate:
        """One system template with its steps and elements, and how often it was used."""
        template = find_system_template(template_id)
        if template is None:
            raise NotFound(f"template {template_id} not found")
        usage = self.templates.usage([template_id]).get(template_id, 0)
        return template.model_copy(update={"usageCount": usage})

    def list_group(
        self,
        caller: Caller,
        group_id: str,
        kind: TemplateKind | None,
        category: FunnelCategory | None,
        limit: int,
        cursor: str | None,
    ) -> Page[TemplateSummary]:
        """The group's own templates, page by page; the system catalog comes along on the first page."""
        self.access.authorize(caller, group_id, Action.READ_CONTENT)
        page = self.templates.list(group_id, page_request(caller.person_id, "templates", limit, cursor, group=group_id))
        own = [
            TemplateSummary(**stored.model_dump(exclude={"body"}), scope="group")
            for stored in page.items
            if (kind is None or stored.kind == kind) and (category is None or stored.category == category)
        ]
        system = self.catalog(kind, category) if cursor is None else []
        return Page[TemplateSummary](items=[*own, *system], nextCursor=page.nextCursor)

    def resolve(self, group_id: str, template_id: str) -> AnyTemplate:
        """A system template, or one of the group's own; another group's is not found."""
        template = find_system_template(template_id)
        if template is not None:
            return template
        stored = self.templates.get(group_id, template_id)
        if stored is None:
            raise NotFound(f"template {template_id} not found")
        model: type[BaseModel] = FunnelTemplate if stored.kind == "funnel" else PageTemplate
        return model.model_validate_json(zlib.decompress(stored.body))  # type: ignore[return-value]

    def count_use(self, change: Change, template: AnyTemplate) -> None:
        self.templates.count_use(change, template.templateId, template.groupId)

    def save(self, caller: Caller, group_id: str, body: TemplateSave) -> TemplateSummary:
        """Save a funnel (``fromFunnelId``) or one of its steps (``fromStepId`` with ``funnelId``)
        as a template of the group."""
        if (body.fromFunnelId is None) == (body.fromStepId is None):
            raise ValidationFailed.on("fromFunnelId", "give exactly one of fromFunnelId and fromStepId")
        if body.fromStepId is not None and body.funnelId is None:
            raise ValidationFailed.on("funnelId", "required with fromStepId: the funnel the step belongs to")
        self.access.authorize(caller, group_id, Action.MANAGE_GROUP)
        funnel_id = body.fromFunnelId or body.funnelId
        assert funnel_id is not None
        aggregate = self.structure.load(group_id, funnel_id)
        view = aggregate.view()
        template_id = new_id("tpl")
        common: dict[str, Any] = {
            "templateId": template_id,
            "name": body.name,
            "scope": "group",
            "groupId": group_id,
            **({"description": body.description} if body.description else {}),
        }
        try:
            template: AnyTemplate
            if body.fromFunnelId is not None:
                properties = {**view.properties, **({"category": body.category} if body.category else {})}
                template = FunnelTemplate.model_validate(
                    {**common, "properties": properties, "steps": [_template_step(step) for step in view.steps]}
                )
            else:
                step_id = find_step(aggregate, body.fromStepId or "").stepId
                step = next(step for step in view.steps if step.stepId == step_id)
                category = body.category or view.properties.get("category", FunnelCategory.CUSTOM)
                template = PageTemplate.model_validate({**common, "category": category, "step": _template_step(step)})
        except ValidationError as error:
            raise validation_failed(error, "template") from None

        data = zlib.compress(template.model_dump_json().encode(), level=9)
        if len(data) > MAX_TEMPLATE_BYTES:
            raise PayloadTooLarge(f"the template compresses to {len(data)} bytes; the limit is {MAX_TEMPLATE_BYTES}")
        steps = template.steps if isinstance(template, FunnelTemplate) else [template.step]
        stored = StoredTemplate(
            templateId=template_id,
            groupId=group_id,
            kind=template.kind,
            name=template.name,
            category=template.category,
            tags=template.tags,
            description=template.description,
            stepCount=len(steps),
            body=data,
            createdAt=now_iso(),
            createdBy=caller.person_id,
        )
        with self.table.change(caller.person_id, group_id) as change:
            self.templates.add(change, stored)
            metadata = {"entity": "template", "kind": template.kind, "from": body.fromFunnelId or body.fromStepId}
            change.record(EventType.ENTITY_CREATED, template_id, metadata, stored.createdAt)
        return summary(template, 0)


@once
def service() -> Templates:
    return Templates(table(), authorizer())
