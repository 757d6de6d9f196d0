"""Templates: the system catalog and a group's own, saved from a funnel or a step, and made
into new draft funnels or new steps (deep copies with new ids, all or nothing, and the
``*_based_on_template`` connection)."""

from __future__ import annotations

import zlib
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from funnel_core.auth.access import Action, authorize
from funnel_core.auth.caller import Caller
from funnel_core.domain.aggregate import append_step, find_step, load_funnel
from funnel_core.domain.common import audit_event, page_request, slugify, validation_failed
from funnel_core.domain.copying import ElementBlueprint, StepBlueprint, build_parts, create_copy
from funnel_core.errors import NotFound, PayloadTooLarge, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.models.builder import Funnel, FunnelView, StepView, StoredTemplate
from funnel_core.models.common import Body, Id, Name, Page, Record
from funnel_core.models.connections import Connection
from funnel_core.models.events import EventType
from funnel_core.models.funnels import FunnelCategory, FunnelCreate, StepCreate
from funnel_core.models.groups import Group
from funnel_core.store.ontology import OntologyStore, UnitOfWork
from funnel_core.templates.catalog import (
    FunnelTemplate,
    PageTemplate,
    TemplateStep,
    find_system_template,
    list_system_templates,
)

TemplateKind = Literal["funnel", "page"]
MAX_TEMPLATE_BYTES = 350_000


class TemplateSummary(Record):
    templateId: str
    kind: TemplateKind
    scope: Literal["system", "group"]
    name: str
    category: str
    tags: list[str] = Field(default_factory=list)
    description: str | None = None
    previewImageUrl: str | None = None
    usageCount: int = 0
    stepCount: int


class TemplateSave(Body):
    name: Name
    fromFunnelId: Id | None = None
    fromStepId: Id | None = None
    # A step is found through its funnel.
    funnelId: Id | None = None
    category: FunnelCategory | None = None
    description: str | None = Field(default=None, max_length=2000)


def _summary(template: FunnelTemplate | PageTemplate, usage: int) -> TemplateSummary:
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


def list_catalog(
    store: OntologyStore, kind: TemplateKind | None, category: FunnelCategory | None
) -> list[TemplateSummary]:
    templates = list_system_templates(kind=kind, category=category.value if category else None)
    usage = store.template_usage([template.templateId for template in templates])
    return [_summary(template, usage.get(template.templateId, 0)) for template in templates]


def list_group_templates(
    store: OntologyStore,
    caller: Caller,
    group_id: str,
    kind: TemplateKind | None,
    category: FunnelCategory | None,
    limit: int,
    cursor: str | None,
) -> Page[TemplateSummary]:
    """The group's own templates, page by page; the system catalog comes along on the first page."""
    authorize(store, caller, group_id, Action.READ_CONTENT)
    page = store.list_group_templates(group_id, page_request(caller, "templates", limit, cursor, group=group_id))
    own = [
        TemplateSummary(**stored.model_dump(exclude={"body"}), scope="group")
        for stored in page.items
        if (kind is None or stored.kind == kind) and (category is None or stored.category == category)
    ]
    system = list_catalog(store, kind, category) if cursor is None else []
    return Page[TemplateSummary](items=[*own, *system], nextCursor=page.nextCursor)


def resolve(store: OntologyStore, group_id: str, template_id: str) -> FunnelTemplate | PageTemplate:
    """A system template, or one of the group's own; another group's is not found."""
    template = find_system_template(template_id)
    if template is not None:
        return template
    stored = store.get_group_template(group_id, template_id)
    if stored is None:
        raise NotFound(f"template {template_id} not found")
    data = zlib.decompress(stored.body)
    model: type[BaseModel] = FunnelTemplate if stored.kind == "funnel" else PageTemplate
    return model.model_validate_json(data)  # type: ignore[return-value]


def blueprint(steps: list[TemplateStep]) -> list[StepBlueprint]:
    return [
        StepBlueprint(
            name=step.name,
            slug=step.slug,
            stepType=step.stepType,
            properties=step.properties,
            elements=[
                ElementBlueprint(
                    elementType=element.elementType,
                    settings=element.settings,
                    styling=element.styling.model_dump(mode="json", exclude_none=True),
                    visibility=element.visibility.model_dump(mode="json"),
                    layout=element.position.model_dump(mode="json", exclude_none=True) if element.position else None,
                )
                for element in step.elements
            ],
        )
        for step in steps
    ]


def _template_step(step: StepView) -> dict[str, Any]:
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
                **({"position": element.layout} if element.layout else {}),
            }
            for element in step.elements
        ],
    }


def save_template(store: OntologyStore, caller: Caller, group_id: str, body: TemplateSave) -> TemplateSummary:
    """Save a funnel (``fromFunnelId``) or one of its steps (``fromStepId`` with ``funnelId``) as
    a template of the group."""
    if (body.fromFunnelId is None) == (body.fromStepId is None):
        raise ValidationFailed.on("fromFunnelId", "give exactly one of fromFunnelId and fromStepId")
    if body.fromStepId is not None and body.funnelId is None:
        raise ValidationFailed.on("funnelId", "required with fromStepId: the funnel the step belongs to")
    authorize(store, caller, group_id, Action.MANAGE_GROUP)
    funnel_id = body.fromFunnelId or body.funnelId
    assert funnel_id is not None
    aggregate = load_funnel(store, group_id, funnel_id)
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
        template: FunnelTemplate | PageTemplate
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
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.add_group_template(stored)
    metadata = {"entity": "template", "kind": template.kind, "from": body.fromFunnelId or body.fromStepId}
    uow.record(audit_event(EventType.ENTITY_CREATED, caller, group_id, template_id, metadata, stored.createdAt))
    uow.commit()
    return _summary(template, 0)


def _based_on(
    kind: str, from_id: str, template: FunnelTemplate | PageTemplate, group: Group, caller: Caller, at: str
) -> Connection:
    return Connection(
        connectionId=new_id("con"),
        groupId=group.groupId,
        fromThingId=from_id,
        toThingId=template.templateId,
        relationshipType=kind,
        metadata={"scope": template.scope},
        validFrom=at,
        createdAt=at,
        updatedAt=at,
        createdBy=caller.person_id,
    )


def _count_use(uow: UnitOfWork, template: FunnelTemplate | PageTemplate) -> None:
    uow.count_template_use(template.templateId, template.groupId)


def instantiate_template(store: OntologyStore, caller: Caller, group: Group, body: FunnelCreate) -> FunnelView:
    """A new draft funnel from a funnel template: a deep copy with new ids, all or nothing."""
    assert body.templateId is not None
    template = resolve(store, group.groupId, body.templateId)
    if not isinstance(template, FunnelTemplate):
        raise ValidationFailed.on("templateId", "a page template makes a step: POST .../steps with pageTemplateId")
    properties = template.properties.model_dump(mode="json", exclude_none=True)
    if body.properties is not None:
        properties |= body.properties.model_dump(mode="json", exclude_none=True, exclude_unset=True)

    def link(uow: UnitOfWork, funnel: Funnel) -> None:
        uow.add_connection(
            _based_on("funnel_based_on_template", funnel.funnelId, template, group, caller, funnel.createdAt)
        )
        _count_use(uow, template)

    copy = create_copy(
        store,
        caller,
        group,
        name=body.name,
        slug=body.slug or slugify(body.name, fallback="funnel"),
        derived_slug=body.slug is None,
        properties=properties,
        blueprint=blueprint(template.steps),
        event=EventType.FUNNEL_CREATED,
        event_metadata={"name": body.name, "templateId": template.templateId},
        template_id=template.templateId,
        extra=link,
    )
    return copy.view()


def add_step_from_template(
    store: OntologyStore, caller: Caller, group: Group, funnel_id: str, body: StepCreate, slug: str
) -> StepView:
    """A new step from a page template, its elements staged first so that the step appears with
    all of them or not at all."""
    assert body.pageTemplateId is not None
    template = resolve(store, group.groupId, body.pageTemplateId)
    if not isinstance(template, PageTemplate):
        raise ValidationFailed.on(
            "pageTemplateId", "a funnel template makes a funnel: POST .../funnels with templateId"
        )
    if template.step.stepType != body.stepType:
        raise ValidationFailed.on("stepType", f"the page template is a {template.step.stepType}")
    at, step_id = now_iso(), new_id("stp")
    [step_print] = blueprint([template.step])
    steps, elements = build_parts(group.groupId, funnel_id, [step_print], at, caller.person_id)
    step = steps[0].model_copy(
        update={
            "stepId": step_id,
            "name": body.name,
            "slug": slug,
            "properties": {**step_print.properties, **body.properties},
            "pageTemplateId": template.templateId,
        }
    )
    elements = [element.model_copy(update={"stepId": step_id}) for element in elements]

    def link(uow: UnitOfWork) -> None:
        uow.add_connection(_based_on("step_based_on_template", step_id, template, group, caller, at))
        _count_use(uow, template)

    store.stage_funnel_parts([], elements)
    try:
        return append_step(
            store,
            caller,
            group,
            step,
            slug_chosen=body.slug is not None,
            elements=elements,
            extra=link,
            event_metadata={"templateId": template.templateId},
        )
    except BaseException:
        store.delete_unreachable(group.groupId, funnel_id, [], [(step_id, element.elementId) for element in elements])
        raise
