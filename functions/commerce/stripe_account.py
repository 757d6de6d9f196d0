"""PUT /groups/{groupId}/stripe-account: connect the group's Stripe account (owners; 201 when
new, 200 when changed or the same)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.commerce import accounts
from funnel_core.commerce.models import StripeAccount, StripeAccountPut
from funnel_core.http.app import COMMERCE, create_app, created, current_caller, make_handler, ok
from funnel_core.http.openapi import answers
from funnel_core.http.params import GroupId

app = create_app(COMMERCE)


@app.put(
    "/groups/<groupId>/stripe-account",
    summary="Connect the group's Stripe account (owners)",
    responses=answers(StripeAccount, {200: "The account changed, or was already this one", 201: "Connected"}),
)
def put_stripe_account(groupId: GroupId, body: StripeAccountPut) -> Response[StripeAccount]:
    account, is_new = accounts.service().put(current_caller(app), groupId, body)
    return created(account) if is_new else ok(account)


lambda_handler = make_handler(app)
