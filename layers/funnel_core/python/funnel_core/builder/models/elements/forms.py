"""Form elements: inputs, choices, the submit button, multi-step forms, and the form fields steps ask for."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from funnel_core.builder.models.elements.base import ElementModel, ElementType
from funnel_core.models.values import (
    ButtonText,
    FieldName,
    Label,
    duplicate_problems,
    problem,
    raise_problems,
)

# --- Forms -----------------------------------------------------------------------------------


class InputType(StrEnum):
    TEXT = "text"
    EMAIL = "email"
    TEL = "tel"
    NUMBER = "number"
    URL = "url"
    DATE = "date"


class InputFieldSettings(ElementModel):
    name: FieldName
    inputType: InputType = InputType.TEXT
    label: Label | None = None
    placeholder: str | None = Field(default=None, max_length=200)
    required: bool = False


class TextareaSettings(ElementModel):
    name: FieldName
    label: Label | None = None
    placeholder: str | None = Field(default=None, max_length=200)
    required: bool = False
    rows: int = Field(default=4, ge=2, le=20)
    maxLength: int | None = Field(default=None, ge=1, le=10_000)


class ChoiceOption(ElementModel):
    label: Label
    value: str = Field(min_length=1, max_length=200)


Options = Annotated[list[ChoiceOption], Field(min_length=1, max_length=50)]


class _ChoiceSettings(ElementModel):
    name: FieldName
    label: Label | None = None
    options: Options
    required: bool = False
    defaultValue: str | None = None

    @model_validator(mode="after")
    def _default_is_an_option(self) -> Self:
        values = [option.value for option in self.options]
        problems = duplicate_problems("options", values, "value")
        if self.defaultValue is not None and self.defaultValue not in values:
            problems.append(problem(("defaultValue",), "must be the value of one of the options", self.defaultValue))
        raise_problems(self, problems)
        return self


class SelectDropdownSettings(_ChoiceSettings):
    placeholder: str | None = Field(default=None, max_length=200)


class OptionsLayout(StrEnum):
    VERTICAL = "vertical"
    HORIZONTAL = "horizontal"


class RadioButtonsSettings(_ChoiceSettings):
    layout: OptionsLayout = OptionsLayout.VERTICAL


class CheckboxSettings(ElementModel):
    name: FieldName
    # The text beside the box, often a consent statement, so longer than a label.
    label: str = Field(min_length=1, max_length=500)
    required: bool = False
    checkedByDefault: bool = False


class ButtonAction(StrEnum):
    SUBMIT = "submit"
    RESET = "reset"
    BUTTON = "button"


class SubmitButtonSettings(ElementModel):
    text: ButtonText
    action: ButtonAction = ButtonAction.SUBMIT
    fullWidth: bool = False


class FormFieldType(StrEnum):
    TEXT = "text"
    EMAIL = "email"
    TEL = "tel"
    NUMBER = "number"
    SELECT = "select"
    CHECKBOX = "checkbox"
    TEXTAREA = "textarea"


class FormField(ElementModel):
    """A field of a step's form or of a multi-step form; ``options`` belong to selects only."""

    name: FieldName
    type: FormFieldType = FormFieldType.TEXT
    required: bool = False
    label: Label | None = None
    placeholder: str | None = Field(default=None, max_length=200)
    options: Options | None = None

    @model_validator(mode="after")
    def _options_only_for_select(self) -> Self:
        problems = []
        if self.type is FormFieldType.SELECT:
            if self.options is None:
                problems.append(problem(("options",), "required for a select field", kind="missing"))
            else:
                problems += duplicate_problems("options", [option.value for option in self.options], "value")
        elif self.options is not None:
            problems.append(problem(("options",), "only a select field has options"))
        raise_problems(self, problems)
        return self


class FormPage(ElementModel):
    title: str = Field(min_length=1, max_length=100)
    fields: list[FormField] = Field(min_length=1, max_length=20)


class MultiStepFormSettings(ElementModel):
    steps: list[FormPage] = Field(min_length=2, max_length=10)
    nextText: ButtonText = "Next"
    backText: ButtonText = "Back"
    submitText: ButtonText = "Submit"
    showProgress: bool = True

    @model_validator(mode="after")
    def _field_names_unique_across_steps(self) -> Self:
        seen: set[str] = set()
        problems = []
        for step_index, step in enumerate(self.steps):
            for field_index, form_field in enumerate(step.fields):
                if form_field.name in seen:
                    loc = ("steps", step_index, "fields", field_index, "name")
                    problems.append(problem(loc, "must be unique in the form", form_field.name))
                seen.add(form_field.name)
        raise_problems(self, problems)
        return self


SETTINGS: dict[ElementType, type[BaseModel]] = {
    ElementType.INPUT_FIELD: InputFieldSettings,
    ElementType.TEXTAREA: TextareaSettings,
    ElementType.SELECT_DROPDOWN: SelectDropdownSettings,
    ElementType.CHECKBOX: CheckboxSettings,
    ElementType.RADIO_BUTTONS: RadioButtonsSettings,
    ElementType.SUBMIT_BUTTON: SubmitButtonSettings,
    ElementType.MULTI_STEP_FORM: MultiStepFormSettings,
}
