"""Published funnel views made straight from templates, for rendering tests without a table."""

from __future__ import annotations

from typing import Any

from funnel_core.builder.models.aggregate import ElementView, FunnelView, StepView
from funnel_core.builder.models.templates import FunnelTemplate

AT = "2026-12-01T09:00:00.000Z"


def view_of(template: FunnelTemplate, slug: str = "funnel", **funnel: Any) -> FunnelView:
    """The published view of a funnel made from ``template``, with ids fixed by position."""
    steps = []
    for number, step in enumerate(template.steps, start=1):
        step_id = f"stp_{number:02d}"
        elements = [
            ElementView(
                elementId=f"elm_{number:02d}_{position:03d}",
                stepId=step_id,
                funnelId="fnl_1",
                groupId="grp_1",
                elementType=element.elementType,
                settings=element.settings,
                styling=element.styling.model_dump(mode="json", exclude_none=True),
                visibility=element.visibility.model_dump(mode="json"),
                layout=element.layout.model_dump(mode="json", exclude_none=True) if element.layout else None,
                position=position,
                createdAt=AT,
                updatedAt=AT,
            )
            for position, element in enumerate(step.elements, start=1)
        ]
        steps.append(
            StepView(
                stepId=step_id,
                funnelId="fnl_1",
                groupId="grp_1",
                name=step.name,
                slug=step.slug,
                stepType=step.stepType,
                properties=step.properties,
                elementIds=[element.elementId for element in elements],
                sequence=number,
                elements=elements,
                createdAt=AT,
                updatedAt=AT,
            )
        )
    return FunnelView(
        funnelId="fnl_1",
        thingId="fnl_1",
        groupId="grp_1",
        name=template.name,
        slug=slug,
        status="published",
        properties=template.properties.model_dump(mode="json", exclude_none=True),
        stepIds=[step.stepId for step in steps],
        liveVersion=1,
        latestVersion=1,
        publishedAt=AT,
        createdAt=AT,
        updatedAt=AT,
        createdBy="u1",
        updatedBy="u1",
        steps=steps,
        **funnel,
    )
