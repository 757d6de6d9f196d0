"""Form elements: inputs, choices, the submit button and multi-step forms. Every input has a
label (visible, or for a field without one its name as an accessible label), keeps the value a
visitor typed when the page comes back with errors, and shows its error beside it."""

from __future__ import annotations

from typing import Any

from funnel_core.pages.render.context import RenderContext
from funnel_core.pages.render.html import tag, text, void

_INPUT_TYPES = frozenset({"text", "email", "tel", "number", "url", "date"})
_AUTOCOMPLETE = {"email": "email", "firstName": "given-name", "lastName": "family-name", "phone": "tel"}


def _humane(name: str) -> str:
    spaced = "".join(f" {char.lower()}" if char.isupper() else char for char in name).replace("_", " ")
    return spaced.strip().capitalize()


def field_id(name: str) -> str:
    return f"f-{name}"


def _error(name: str, context: RenderContext) -> tuple[str, dict[str, str | bool]]:
    """The message shown under a field that came back with an error, and the attributes that tie
    it to the input for assistive technology."""
    message = context.form.errors.get(name)
    if message is None:
        return "", {}
    error_id = f"{field_id(name)}-error"
    return tag("p", text(message), id=error_id, cls="error"), {"aria_invalid": "true", "aria_describedby": error_id}


def labelled(name: str, label: str | None, control: str, error: str, required: bool) -> str:
    mark = ' <span class="req" aria-hidden="true">*</span>' if required else ""
    shown = tag("label", text(label or _humane(name)) + mark, for_=field_id(name))
    return tag("div", shown + control + error, cls="field")


def text_input(
    name: str,
    kind: str,
    label: str | None,
    placeholder: str | None,
    required: bool,
    context: RenderContext,
) -> str:
    context.form.rendered.add(name)
    error, invalid = _error(name, context)
    control = void(
        "input",
        id=field_id(name),
        name=name,
        type=kind if kind in _INPUT_TYPES else "text",
        value=context.form.values.get(name),
        placeholder=placeholder,
        required=required,
        autocomplete=_AUTOCOMPLETE.get(name),
        **invalid,
    )
    return labelled(name, label, control, error, required)


def input_field(settings: dict[str, Any], context: RenderContext) -> str:
    return text_input(
        settings["name"],
        settings.get("inputType", "text"),
        settings.get("label"),
        settings.get("placeholder"),
        settings.get("required", False),
        context,
    )


def textarea(settings: dict[str, Any], context: RenderContext) -> str:
    name = settings["name"]
    context.form.rendered.add(name)
    error, invalid = _error(name, context)
    control = tag(
        "textarea",
        text(context.form.values.get(name, "")),
        id=field_id(name),
        name=name,
        rows=settings.get("rows", 4),
        maxlength=settings.get("maxLength"),
        placeholder=settings.get("placeholder"),
        required=settings.get("required", False),
        **invalid,
    )
    return labelled(name, settings.get("label"), control, error, settings.get("required", False))


def select(
    name: str,
    label: str | None,
    options: list[dict[str, str]],
    required: bool,
    placeholder: str | None,
    default: str | None,
    context: RenderContext,
) -> str:
    context.form.rendered.add(name)
    error, invalid = _error(name, context)
    chosen = context.form.values.get(name, default)
    choices = [tag("option", text(placeholder or "Choose one"), value="")]
    choices += [
        tag("option", text(option["label"]), value=option["value"], selected=option["value"] == chosen)
        for option in options
    ]
    control = tag("select", "".join(choices), id=field_id(name), name=name, required=required, **invalid)
    return labelled(name, label, control, error, required)


def select_dropdown(settings: dict[str, Any], context: RenderContext) -> str:
    return select(
        settings["name"],
        settings.get("label"),
        settings["options"],
        settings.get("required", False),
        settings.get("placeholder"),
        settings.get("defaultValue"),
        context,
    )


def checkbox_input(name: str, label: str, required: bool, checked: bool, context: RenderContext) -> str:
    context.form.rendered.add(name)
    error, invalid = _error(name, context)
    if context.form.values:
        checked = name in context.form.values
    box = void(
        "input",
        id=field_id(name),
        name=name,
        type="checkbox",
        value="yes",
        required=required,
        checked=checked,
        **invalid,
    )
    mark = ' <span class="req" aria-hidden="true">*</span>' if required else ""
    return tag("div", box + tag("label", text(label) + mark, for_=field_id(name)) + error, cls="field check")


def checkbox(settings: dict[str, Any], context: RenderContext) -> str:
    return checkbox_input(
        settings["name"],
        settings["label"],
        settings.get("required", False),
        settings.get("checkedByDefault", False),
        context,
    )


def radio_buttons(settings: dict[str, Any], context: RenderContext) -> str:
    name = settings["name"]
    context.form.rendered.add(name)
    error, invalid = _error(name, context)
    chosen = context.form.values.get(name, settings.get("defaultValue"))
    required = settings.get("required", False)
    choices = []
    for number, option in enumerate(settings["options"]):
        choice_id = f"{field_id(name)}-{number}"
        radio = void(
            "input",
            id=choice_id,
            name=name,
            type="radio",
            value=option["value"],
            required=required,
            checked=option["value"] == chosen,
        )
        choices.append(tag("div", radio + tag("label", text(option["label"]), for_=choice_id), cls="choice"))
    legend = tag("legend", text(settings.get("label") or _humane(name)))
    layout = settings.get("layout", "vertical")
    return tag("fieldset", legend + "".join(choices) + error, cls=f"field radios r-{layout}", **invalid)


def submit_button(settings: dict[str, Any], context: RenderContext) -> str:
    action = settings.get("action", "submit")
    classes = "btn btn-block" if settings.get("fullWidth") else "btn"
    if context.upsell:
        # On an upsell, the button beside "yes" is its "no thanks".
        context.declines = True
        return tag(
            "button", text(settings["text"]), type="submit", name="accept", value="false", cls=f"{classes} btn-quiet"
        )
    if action == "submit" and not context.form.active and context.urls.next_step:
        # No form on this step (a "no thanks" on an upsell, say): the button moves on.
        return tag("a", text(settings["text"]), href=context.urls.next_step, cls=f"{classes} btn-quiet")
    return tag("button", text(settings["text"]), type=action, cls=classes)


def form_field(spec: dict[str, Any], context: RenderContext) -> str:
    """A field of a step's ``formFields`` or of a multi-step form, as its own control."""
    name, kind, label = spec["name"], spec.get("type", "text"), spec.get("label")
    required = spec.get("required", False)
    if kind == "select":
        return select(name, label, spec.get("options") or [], required, spec.get("placeholder"), None, context)
    if kind == "checkbox":
        return checkbox_input(name, label or _humane(name), required, False, context)
    if kind == "textarea":
        return textarea(
            {"name": name, "label": label, "placeholder": spec.get("placeholder"), "required": required}, context
        )
    return text_input(name, kind, label, spec.get("placeholder"), required, context)


def multi_step_form(settings: dict[str, Any], context: RenderContext) -> str:
    context.use("multistep")
    pages = settings["steps"]
    fieldsets = []
    for number, page in enumerate(pages, start=1):
        fields = "".join(form_field(spec, context) for spec in page["fields"])
        buttons = []
        if number > 1:
            buttons.append(
                tag(
                    "button", text(settings.get("backText", "Back")), type="button", data_move="-1", cls="btn btn-quiet"
                )
            )
        if number < len(pages):
            buttons.append(
                tag("button", text(settings.get("nextText", "Next")), type="button", data_move="1", cls="btn")
            )
        else:
            buttons.append(tag("button", text(settings.get("submitText", "Submit")), type="submit", cls="btn"))
        progress = f'<p class="muted">Step {number} of {len(pages)}</p>' if settings.get("showProgress", True) else ""
        legend = tag("legend", text(page["title"]))
        fieldsets.append(
            tag("fieldset", legend + progress + fields + tag("div", "".join(buttons), cls="row"), cls="page")
        )
    return tag("div", "".join(fieldsets), cls="multistep", data_multistep=True)


RENDERERS = {
    "input_field": input_field,
    "textarea": textarea,
    "select_dropdown": select_dropdown,
    "checkbox": checkbox,
    "radio_buttons": radio_buttons,
    "submit_button": submit_button,
    "multi_step_form": multi_step_form,
}
