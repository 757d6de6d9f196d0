"""PUT /groups/{groupId}/members/{personId}: give a person a role (201 when new, 200 when changed)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import members
from funnel_core.http.app import create_app, created, current_caller, make_handler, ok, store
from funnel_core.models.members import MemberPut, Membership

app = create_app()


@app.put("/groups/<groupId>/members/<personId>")
def put_member(groupId: str, personId: str, body: MemberPut) -> Response[Membership]:
    membership, is_new = members.put_member(store(), current_caller(app), groupId, personId, body.role)
    return created(membership) if is_new else ok(membership)


lambda_handler = make_handler(app)
