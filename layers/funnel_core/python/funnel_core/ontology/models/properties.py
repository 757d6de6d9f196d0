"""The ``properties`` model of each thing type.

Funnel-builder types are written through their own routes; the generic thing routes refuse
them. ``person`` and ``customer`` have typed properties; every other type is free-form JSON.
"""

from __future__ import annotations

from typing import Annotated, Any

from email_validator import validate_email
from pydantic import BaseModel, EmailStr, Field, StringConstraints, field_validator

from funnel_core.models.common import StrictModel

ShortText = Annotated[str, StringConstraints(max_length=200)]

# Types owned by a dedicated route; the value names it, for the error message.
BUILDER_TYPE_ROUTES: dict[str, str] = {
    "funnel": "/groups/{groupId}/funnels",
    "funnel_step": "/groups/{groupId}/funnels/{funnelId}/steps",
    "page_element": "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements",
    "funnel_template": "/groups/{groupId}/templates",
    "page_template": "/groups/{groupId}/templates",
    "form_submission": "/p/{groupSlug}/{funnelSlug}/{stepSlug}/submit",
    "ab_test": "/groups/{groupId}/funnels/{funnelId}/ab-tests",
    "funnel_domain": "/groups/{groupId}/domains",
    "funnel_analytics": "/groups/{groupId}/funnels/{funnelId}/analytics",
    "email_sequence": "/groups/{groupId}/funnels/{funnelId}/email-sequences",
    "custom_code": "/groups/{groupId}/funnels/{funnelId}/custom-code",
    "product": "/groups/{groupId}/products",
    "payment": "/webhooks/stripe",
    "order": "/p/{groupSlug}/{funnelSlug}/{stepSlug}/checkout",
    "stripe_account": "/groups/{groupId}/stripe-account",
}


class PersonProperties(StrictModel):
    email: EmailStr | None = None
    firstName: ShortText | None = None
    lastName: ShortText | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()\-.]{5,32}$")] | None = None
    avatarUrl: Annotated[str, StringConstraints(pattern=r"^https://", max_length=2048)] | None = None


def normalized_email(value: str) -> str:
    """The address as a customer is known by: checked, its domain in IDNA form, lower case."""
    return validate_email(value, check_deliverability=False).normalized.lower()


class CustomerProperties(PersonProperties):
    """A customer is one per normalized email in its group (a guard item keeps it so)."""

    email: EmailStr
    tags: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=50
    )
    source: ShortText | None = None

    @field_validator("email")
    @classmethod
    def _normalized(cls, value: str) -> str:
        return normalized_email(value)


TYPED_PROPERTIES: dict[str, type[BaseModel]] = {
    "person": PersonProperties,
    "customer": CustomerProperties,
}


def validate_properties(thing_type: str, properties: dict[str, Any]) -> dict[str, Any]:
    """Validate ``properties`` for a type; raises pydantic's ValidationError on bad input."""
    model = TYPED_PROPERTIES.get(thing_type)
    if model is None:
        return properties
    return model.model_validate(properties).model_dump(mode="json", exclude_none=True)
