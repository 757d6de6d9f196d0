"""PUT /groups/{groupId}/members/{personId}: give a person a role (201 when new, 200 when changed)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.http.app import ONTOLOGY, create_app, created, current_caller, make_handler, ok
from funnel_core.http.openapi import answers
from funnel_core.http.params import GroupId, PersonId
from funnel_core.ontology import members
from funnel_core.ontology.models.members import MemberPut, Membership

app = create_app(ONTOLOGY)


@app.put(
    "/groups/<groupId>/members/<personId>",
    summary="Give a person a role in the group",
    responses=answers(Membership, {200: "The role changed", 201: "The person is a new member"}),
)
def put_member(groupId: GroupId, personId: PersonId, body: MemberPut) -> Response[Membership]:
    membership, is_new = members.service().put(current_caller(app), groupId, personId, body.role)
    return created(membership) if is_new else ok(membership)


lambda_handler = make_handler(app)
