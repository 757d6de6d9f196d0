"""Commerce: the tenant's Stripe account, checkout on order pages, one-click upsells and Stripe's
webhooks, each payment recorded exactly once (``docs/commerce.md``)."""
