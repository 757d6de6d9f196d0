"""localstripe, the stateful Stripe emulator, on a free port: what ``make dev`` and the tests
charge cards on. No test talks to Stripe itself.

It emulates customers, payment methods, PaymentIntents (on- and off-session), refunds and signed
webhooks (``t=…,v1=…``, as Stripe signs them), and serves ``localstripe-v3.js`` in place of
Stripe.js. What it leaves out, and what the project does about it, is in ``docs/commerce.md``.
"""

from __future__ import annotations

import sys

import requests

from local.net import LOOPBACK
from local.server_process import ServerProcess

# Keys of the emulator's own: any sk_... is accepted by it, and they sign nothing real.
SECRET_KEY = "sk_test_local_emulator"  # noqa: S105 - local only
PUBLISHABLE_KEY = "pk_test_localemulator"
WEBHOOK_SECRET = "whsec_local_emulator_0123456789"  # noqa: S105 - local only
_WEBHOOK_NAME = "funnel-builder"


class StripeEmulator(ServerProcess):
    """``python -m localstripe`` on a free port; a context manager."""

    name = "localstripe"

    def command(self) -> list[str]:
        # --from-scratch: never the state a previous run left behind.
        return [sys.executable, "-m", "localstripe", "--port", str(self.port), "--from-scratch"]

    def answers(self) -> bool:
        try:
            answer = requests.get(f"{self.endpoint_url}/v1/customers", auth=(SECRET_KEY, ""), timeout=1)
        except requests.RequestException:
            return False
        return answer.status_code == 200

    @property
    def stripe_js_url(self) -> str:
        return f"{self.endpoint_url}/js.stripe.com/v3/"

    def send_webhooks_to(self, url: str) -> None:
        """Deliver every event, signed with ``WEBHOOK_SECRET``, to ``url`` (the API's webhook)."""
        if not url.startswith(f"http://{LOOPBACK}:"):
            raise ValueError(f"webhooks go to the local API only, not {url}")
        answer = requests.post(
            f"{self.endpoint_url}/_config/webhooks/{_WEBHOOK_NAME}",
            data={"url": url, "secret": WEBHOOK_SECRET},
            timeout=5,
        )
        answer.raise_for_status()

    def environment(self) -> dict[str, str]:
        """What the handlers read to use the emulator instead of Stripe."""
        return {
            "STRIPE_API_BASE": self.endpoint_url,
            "STRIPE_SECRET_KEY": SECRET_KEY,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
            "STRIPE_JS_URL": self.stripe_js_url,
            "STRIPE_EMULATOR": "true",
        }
