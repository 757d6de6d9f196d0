"""Funnel steps: their types, their ``properties`` per type, and the step request bodies."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from funnel_core.builder.models.elements.forms import FormField, FormFieldType
from funnel_core.builder.models.funnels import Seo
from funnel_core.models.common import Body, Id, JsonObject, Name, Slug, StrictModel
from funnel_core.models.values import (
    Currency,
    HexColor,
    HttpsUrl,
    Price,
    RedirectTarget,
    duplicate_problems,
    problem,
    raise_problems,
    typed_by,
)

# --- Steps -----------------------------------------------------------------------------------


class StepType(StrEnum):
    LANDING_PAGE = "landing_page"
    OPT_IN_PAGE = "opt_in_page"
    TWO_STEP_OPTIN = "two_step_optin"
    SALES_PAGE = "sales_page"
    ORDER_FORM = "order_form"
    CHECKOUT_PAGE = "checkout_page"
    UPSELL_PAGE = "upsell_page"
    DOWNSELL_PAGE = "downsell_page"
    THANK_YOU_PAGE = "thank_you_page"
    WEBINAR_REGISTRATION = "webinar_registration"
    SURVEY_PAGE = "survey_page"
    VSL_PAGE = "vsl_page"
    COUNTDOWN_TIMER_PAGE = "countdown_timer_page"
    MEMBERSHIP_LOGIN_PAGE = "membership_login_page"
    CUSTOM_PAGE = "custom_page"


# The steps that collect a visitor's details through a form.
OPT_IN_STEP_TYPES = frozenset(
    {StepType.OPT_IN_PAGE, StepType.TWO_STEP_OPTIN, StepType.WEBINAR_REGISTRATION, StepType.SURVEY_PAGE}
)
# The steps that sell a product.
SALES_STEP_TYPES = frozenset(
    {
        StepType.SALES_PAGE,
        StepType.ORDER_FORM,
        StepType.CHECKOUT_PAGE,
        StepType.UPSELL_PAGE,
        StepType.DOWNSELL_PAGE,
    }
)


# The steps where a visitor orders (and pays): the others sell by linking to one.
ORDER_STEP_TYPES = frozenset({StepType.ORDER_FORM, StepType.CHECKOUT_PAGE})
# The steps that charge the order's saved card in one click.
UPSELL_STEP_TYPES = frozenset({StepType.UPSELL_PAGE, StepType.DOWNSELL_PAGE})


class CheckoutMode(StrEnum):
    # The card taken on the page by Stripe.js; the server charges it.
    ON_PAGE = "on_page"
    # The order form sends the visitor to Stripe's hosted Checkout page.
    HOSTED = "hosted"


class Layout(StrEnum):
    SINGLE_COLUMN = "single_column"
    TWO_COLUMN = "two_column"
    ASYMMETRIC = "asymmetric"
    CUSTOM = "custom"


class BackgroundType(StrEnum):
    COLOR = "color"
    IMAGE = "image"
    VIDEO = "video"
    GRADIENT = "gradient"


# Nested parentheses for rgba() and the like; nothing that could end the CSS declaration.
CssGradient = Annotated[str, StringConstraints(pattern=r"^(?:linear|radial)-gradient\([A-Za-z0-9#%.,()\s-]+\)$")]

_BACKGROUND_VALUE: dict[BackgroundType, tuple[TypeAdapter[str], str]] = {
    BackgroundType.COLOR: (TypeAdapter(HexColor), "must be a hex colour, #RGB or #RRGGBB"),
    BackgroundType.IMAGE: (TypeAdapter(HttpsUrl), "must be an https:// URL"),
    BackgroundType.VIDEO: (TypeAdapter(HttpsUrl), "must be an https:// URL"),
    BackgroundType.GRADIENT: (TypeAdapter(CssGradient), "must be a CSS linear-gradient() or radial-gradient()"),
}


class Background(StrictModel):
    type: BackgroundType
    value: str = Field(min_length=1, max_length=2048)

    @model_validator(mode="after")
    def _value_fits_the_type(self) -> Self:
        adapter, message = _BACKGROUND_VALUE[self.type]
        try:
            adapter.validate_python(self.value)
        except ValidationError:
            raise_problems(self, [problem(("value",), f"{message} for a {self.type} background", self.value)])
        return self


class ColorScheme(StrictModel):
    primary: HexColor | None = None
    secondary: HexColor | None = None
    text: HexColor | None = None
    background: HexColor | None = None


class StepSettings(StrictModel):
    showHeader: bool = True
    showFooter: bool = True
    customCss: str | None = Field(default=None, max_length=20_000)

    @field_validator("customCss")
    @classmethod
    def _stays_inside_its_style_tag(cls, css: str | None) -> str | None:
        if css is not None and "</style" in css.lower():
            raise ValueError("must not contain </style")
        return css


# Every opt-in form asks for an email; these names, when used, have a fixed type.
_STANDARD_FIELD_TYPES = {
    "email": FormFieldType.EMAIL,
    "firstName": FormFieldType.TEXT,
    "lastName": FormFieldType.TEXT,
    "phone": FormFieldType.TEL,
}
_SALES_FIELDS = ("productId", "price", "currency")


class StepProperties(StrictModel):
    """``formFields`` belong to opt-in steps, whose form always asks for the email (added first
    when missing); ``productId``, ``price`` and ``currency`` belong to sales steps."""

    stepType: StepType
    headline: str | None = Field(default=None, max_length=255)
    subheadline: str | None = Field(default=None, max_length=500)
    layout: Layout = Layout.SINGLE_COLUMN
    background: Background | None = None
    colorScheme: ColorScheme = Field(default_factory=ColorScheme)
    seo: Seo = Field(default_factory=Seo)
    settings: StepSettings = Field(default_factory=StepSettings)
    formFields: list[FormField] | None = Field(default=None, max_length=30)
    ctaText: str | None = Field(default=None, min_length=1, max_length=60)
    redirectAfterSubmit: RedirectTarget | None = None
    productId: Id | None = None
    price: Price | None = None
    currency: Currency | None = None
    # How an order step takes the payment (on_page when absent).
    checkout: CheckoutMode | None = None

    @model_validator(mode="after")
    def _fields_fit_the_step_type(self) -> Self:
        # Checked before the email is added, so error indexes match the fields the client sent.
        raise_problems(self, self._form_problems() + self._sales_problems() + self._checkout_problems())
        fields = self.formFields or []
        if self.stepType in OPT_IN_STEP_TYPES and not any(form_field.name == "email" for form_field in fields):
            email = FormField(name="email", type=FormFieldType.EMAIL, required=True, label="Email")
            self.formFields = [email, *fields]
        return self

    def _form_problems(self) -> list[InitErrorDetails]:
        if self.stepType not in OPT_IN_STEP_TYPES:
            if self.formFields is None:
                return []
            return [problem(("formFields",), "only opt-in steps have form fields", kind="extra_forbidden")]
        fields = self.formFields or []
        problems = duplicate_problems("formFields", [form_field.name for form_field in fields], "name")
        for index, form_field in enumerate(fields):
            standard_type = _STANDARD_FIELD_TYPES.get(form_field.name)
            if standard_type is not None and form_field.type is not standard_type:
                message = f"must be {standard_type} for the {form_field.name} field"
                problems.append(problem(("formFields", index, "type"), message, form_field.type))
            if form_field.name == "email" and not form_field.required:
                problems.append(problem(("formFields", index, "required"), "the email field is always required", False))
        return problems

    def _checkout_problems(self) -> list[InitErrorDetails]:
        if self.checkout is None or self.stepType in ORDER_STEP_TYPES:
            return []
        return [problem(("checkout",), "only order_form and checkout_page steps take a payment", self.checkout)]

    def _sales_problems(self) -> list[InitErrorDetails]:
        if self.stepType not in SALES_STEP_TYPES:
            return [
                problem((name,), "only sales and order steps have a product and price", getattr(self, name))
                for name in _SALES_FIELDS
                if getattr(self, name) is not None
            ]
        if (self.price is None) == (self.currency is None):
            return []
        missing, given = ("currency", "price") if self.currency is None else ("price", "currency")
        return [problem((missing,), f"required with {given}", kind="missing")]


def validate_step_properties(step_type: str, properties: JsonObject) -> JsonObject:
    """The properties of a step of this type (``stepType`` included), normalized and JSON-ready.

    Raises pydantic's ValidationError with locations relative to ``properties``; a ``stepType``
    in ``properties`` must agree with ``step_type``.
    """
    given = properties.get("stepType", step_type)
    if given != step_type:
        raise ValidationError.from_exception_data(
            StepProperties.__name__,
            [problem(("stepType",), f"must be {step_type}, the step's type", given)],
        )
    merged: dict[str, Any] = {**properties, "stepType": step_type}
    return StepProperties.model_validate(merged).model_dump(mode="json", exclude_none=True)


StepPropertiesOfType = Annotated[JsonObject, typed_by("stepType", validate_step_properties)]


class StepCreate(Body):
    name: Name
    slug: Slug | None = None
    stepType: StepType
    properties: StepPropertiesOfType = Field(default_factory=dict, validate_default=True)
    pageTemplateId: Id | None = None


class StepUpdate(Body):
    """``properties`` are validated against the step's type by the caller."""

    version: int = Field(ge=1)
    name: Name | None = None
    slug: Slug | None = None
    properties: JsonObject | None = None


class StepOrder(Body):
    stepIds: list[Id] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        raise_problems(self, duplicate_problems("stepIds", self.stepIds))
        return self
