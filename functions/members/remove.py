"""DELETE /groups/{groupId}/members/{personId}: remove a member (or leave the group)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler, no_content
from funnel_core.http.params import GroupId, PersonId
from funnel_core.ontology import members

app = create_app(ONTOLOGY)


@app.delete("/groups/<groupId>/members/<personId>", summary="Remove a member, or leave the group", status_code=204)
def remove_member(groupId: GroupId, personId: PersonId) -> Response[None]:
    members.service().remove(current_caller(app), groupId, personId)
    return no_content()


lambda_handler = make_handler(app)
