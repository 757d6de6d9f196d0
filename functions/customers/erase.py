"""POST /groups/{groupId}/customers/{customerId}/erase: erase one customer's personal data (owners)."""

from pydantic import BaseModel

from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import GroupId, ThingId
from funnel_core.leads import erasure

app = create_app(BUILDER)


class Erased(BaseModel):
    customerId: str
    submissions: int
    erasedAt: str


@app.post(
    "/groups/<groupId>/customers/<customerId>/erase",
    summary="Erase a customer's personal data and their submissions' (owners); counts stay",
)
def erase_customer(groupId: GroupId, customerId: ThingId) -> Erased:
    done = erasure.service().erase(current_caller(app), groupId, customerId)
    return Erased(customerId=done.customerId, submissions=done.submissions, erasedAt=done.erasedAt)


lambda_handler = make_handler(app)
