"""The official ``stripe`` library, set up once per container: the platform's secret key (from
Secrets Manager on AWS), Stripe's API or the local emulator, short timeouts and the library's own
retries (which resend the same idempotency key). Every tenant call names the tenant's connected
account, and Stripe's failures become the domain's: a declined card is the visitor's 402, Stripe
unreachable a 503 to try again, anything else Stripe refuses a 502, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import stripe

from funnel_core.container import once
from funnel_core.errors import DomainError
from funnel_core.observability import logger
from funnel_core.settings import get_settings

T = TypeVar("T")
# A checkout waits for Stripe inside API Gateway's 30 s: connect fast, give up before then.
_TIMEOUT_SECONDS = (3.05, 12)
_RETRIES = 2


class PaymentDeclined(DomainError):
    """The card (or the bank behind it) said no: the visitor may try another."""

    status, code = 402, "payment_declined"

    def __init__(self, message: str, decline_code: str | None = None, payment_intent: str | None = None) -> None:
        super().__init__(message)
        self.decline_code = decline_code
        # The PaymentIntent the decline left behind (an off-session charge the bank wants the
        # visitor to authenticate).
        self.payment_intent = payment_intent


class PaymentsUnavailable(DomainError):
    """Stripe could not be reached or was overloaded; nothing was charged twice, try again."""

    status, code = 503, "payments_unavailable"

    def __init__(self) -> None:
        super().__init__("payments are unavailable for a moment; nothing was charged, try again shortly")
        self.retry_after = 5


class PaymentProviderRefused(DomainError):
    """Stripe refused the request itself (an account not connected, a currency it does not take
    there): the shop's set-up, not the visitor's card."""

    status, code = 502, "payment_provider_refused"


def _secret(value: str | None, arn: str | None, name: str) -> str:
    if value:
        return value
    if arn:
        from aws_lambda_powertools.utilities import parameters

        return str(parameters.get_secret(arn, max_age=3600))
    raise RuntimeError(f"{name} or {name}_ARN must be set")


@once
def client() -> stripe.StripeClient:
    settings = get_settings()
    key = _secret(settings.stripe_secret_key, settings.stripe_secret_key_arn, "STRIPE_SECRET_KEY")
    return stripe.StripeClient(
        key,
        base_addresses={"api": settings.stripe_api_base} if settings.stripe_api_base else None,
        max_network_retries=_RETRIES,
        http_client=stripe.RequestsClient(timeout=_TIMEOUT_SECONDS),
    )


@once
def webhook_secret() -> str:
    settings = get_settings()
    return _secret(settings.stripe_webhook_secret, settings.stripe_webhook_secret_arn, "STRIPE_WEBHOOK_SECRET")


def on_account(account_id: str, idempotency_key: str | None = None) -> dict[str, Any]:
    """Request options of a call made for a tenant: on its connected account, idempotent."""
    options: dict[str, Any] = {"stripe_account": account_id}
    if idempotency_key is not None:
        options["idempotency_key"] = idempotency_key
    return options


def call(operation: Callable[[], T]) -> T:
    """``operation`` (one Stripe request), its failures as domain errors."""
    try:
        return operation()
    except stripe.CardError as error:
        intent = getattr(error.error, "payment_intent", None) if error.error else None
        intent_id = intent.get("id") if isinstance(intent, dict) else getattr(intent, "id", None)
        raise PaymentDeclined(error.user_message or "The card was declined.", error.code, intent_id) from error
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        logger.warning("Stripe unreachable", extra={"error": str(error)})
        raise PaymentsUnavailable from error
    except stripe.APIError as error:
        logger.warning("Stripe failed", extra={"error": str(error), "status": error.http_status})
        raise PaymentsUnavailable from error
    except stripe.StripeError as error:
        logger.error("Stripe refused a request", extra={"error": str(error), "status": error.http_status})
        raise PaymentProviderRefused(f"the payment provider refused the request: {error.user_message}") from error


def payment_intent(account_id: str, intent_id: str) -> Any:
    """A PaymentIntent of the connected account, as Stripe has it now."""
    client_ = client()
    return call(lambda: client_.v1.payment_intents.retrieve(intent_id, options={"stripe_account": account_id}))


def setup_intent(account_id: str, setup_id: str) -> Any:
    """A SetupIntent of the connected account, as Stripe has it now."""
    client_ = client()
    return call(lambda: client_.v1.setup_intents.retrieve(setup_id, options={"stripe_account": account_id}))


def id_of(value: Any) -> str | None:
    """The id of what Stripe may send expanded (an object) or not (its id)."""
    if value is None or isinstance(value, str):
        return value
    return value.get("id") if isinstance(value, dict) else value.id
