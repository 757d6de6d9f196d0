"""DELETE /groups/{groupId}/funnels/{funnelId}/assignees/{personId}: unassign a group_user."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import assignees
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler, no_content
from funnel_core.http.params import FunnelId, GroupId, PersonId

app = create_app(BUILDER)


@app.delete(
    "/groups/<groupId>/funnels/<funnelId>/assignees/<personId>", summary="Unassign a group user", status_code=204
)
def unassign(groupId: GroupId, funnelId: FunnelId, personId: PersonId) -> Response[None]:
    assignees.service().unassign(current_caller(app), groupId, funnelId, personId)
    return no_content()


lambda_handler = make_handler(app)
