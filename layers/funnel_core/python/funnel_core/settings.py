"""Environment settings, validated once per container."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field

from funnel_core.container import once


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    table_name: str = Field(min_length=3, validation_alias="TABLE_NAME")
    audit_bucket_name: str | None = Field(default=None, validation_alias="AUDIT_BUCKET_NAME")
    # Where CSV exports are written; they are handed out as short-lived presigned URLs.
    exports_bucket_name: str | None = Field(default=None, validation_alias="EXPORTS_BUCKET_NAME")
    # Cursors are signed with this key. Locally it comes from the environment; on AWS the
    # template passes the ARN of a generated secret instead and the key is fetched once.
    cursor_secret: str | None = Field(default=None, min_length=16, validation_alias="CURSOR_SECRET")
    cursor_secret_arn: str | None = Field(default=None, validation_alias="CURSOR_SECRET_ARN")
    idempotency_ttl_seconds: int = Field(default=86400, ge=60, validation_alias="IDEMPOTENCY_TTL_SECONDS")
    max_body_bytes: int = Field(default=262_144, ge=1024, validation_alias="MAX_BODY_BYTES")
    # Visitor cookies are Secure on AWS (https only); the local stack serves plain http.
    secure_cookies: bool = Field(default=True, validation_alias="SECURE_COOKIES")
    # Stripe: the platform's keys (the secrets by ARN on AWS, by value locally), and where its
    # API is (Stripe's own unless told; the local stack's emulator in make dev and the tests).
    stripe_secret_key: str | None = Field(default=None, validation_alias="STRIPE_SECRET_KEY")
    stripe_secret_key_arn: str | None = Field(default=None, validation_alias="STRIPE_SECRET_KEY_ARN")
    stripe_webhook_secret: str | None = Field(default=None, validation_alias="STRIPE_WEBHOOK_SECRET")
    stripe_webhook_secret_arn: str | None = Field(default=None, validation_alias="STRIPE_WEBHOOK_SECRET_ARN")
    stripe_publishable_key: str | None = Field(default=None, validation_alias="STRIPE_PUBLISHABLE_KEY")
    stripe_api_base: str | None = Field(default=None, validation_alias="STRIPE_API_BASE")
    # Where checkout pages load Stripe.js from (the emulator's stand-in for it locally).
    stripe_js_url: str = Field(default="https://js.stripe.com/v3/", validation_alias="STRIPE_JS_URL")
    # The local emulator (localstripe) refuses setup_future_usage: there the card is attached to
    # the customer instead (docs/commerce.md). Never set on AWS.
    stripe_emulator: bool = Field(default=False, validation_alias="STRIPE_EMULATOR")


@once
def get_settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
