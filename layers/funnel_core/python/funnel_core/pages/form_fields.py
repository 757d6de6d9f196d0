"""What a step's form asks, as the published page shows it and its post is checked against it:
the step's ``formFields`` (their types and rules win), the email always, and the fields the
step's form elements add, each under the label the visitor saw."""

from __future__ import annotations

from typing import Any

from funnel_core.builder.models.aggregate import StepView

EMAIL = {"name": "email", "type": "email", "required": True, "label": "Email"}


def _element_fields(element_type: str, settings: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields an element of a form adds, as the post of the form is checked against them."""
    if element_type == "input_field":
        kind = settings.get("inputType", "text")
        kind = kind if kind in ("email", "tel", "number") else "text"
        return [
            {
                "name": settings["name"],
                "type": kind,
                "required": settings.get("required", False),
                "label": settings.get("label"),
            }
        ]
    if element_type == "textarea":
        return [
            {
                "name": settings["name"],
                "type": "textarea",
                "required": settings.get("required", False),
                "label": settings.get("label"),
            }
        ]
    if element_type in ("select_dropdown", "radio_buttons"):
        return [
            {
                "name": settings["name"],
                "type": "select",
                "required": settings.get("required", False),
                "label": settings.get("label"),
                "options": settings["options"],
            }
        ]
    if element_type == "checkbox":
        return [
            {
                "name": settings["name"],
                "type": "checkbox",
                "required": settings.get("required", False),
                "label": settings["label"],
            }
        ]
    if element_type == "multi_step_form":
        return [spec for page in settings["steps"] for spec in page["fields"]]
    if element_type == "quiz_survey":
        return [
            {
                "name": q["name"],
                "type": "select" if q.get("type", "single_choice") == "single_choice" else "text",
                "required": q.get("required", True) and q.get("type", "single_choice") == "single_choice",
                "label": q["question"],
                "options": q["options"],
            }
            for q in settings["questions"]
        ]
    return []


def published_form_fields(step: StepView) -> list[dict[str, Any]]:
    """What the step's form asks, as its post is checked: the step's ``formFields`` (their types
    and rules win) and the fields its form elements add, each under the label the visitor saw."""
    fields = {spec["name"]: dict(spec) for spec in step.properties.get("formFields") or []}
    if "email" not in fields:
        # Every lead form asks for the email, whatever the step's properties say.
        fields = {"email": dict(EMAIL), **fields}
    for element in step.elements:
        for spec in _element_fields(element.elementType, element.settings):
            if spec["name"] in fields:
                if spec.get("label"):
                    fields[spec["name"]]["label"] = spec["label"]
            else:
                fields[spec["name"]] = spec
    return list(fields.values())
