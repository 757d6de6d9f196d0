"""PUT /groups/{groupId}/funnels/{funnelId}/assignees/{personId}: assign a group_user to the funnel."""

from funnel_core.builder import assignees
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId, PersonId
from funnel_core.ontology.models.connections import Connection

app = create_app(BUILDER)


@app.put("/groups/<groupId>/funnels/<funnelId>/assignees/<personId>", summary="Assign a group user to the funnel")
def assign(groupId: GroupId, funnelId: FunnelId, personId: PersonId) -> Connection:
    return assignees.service().assign(current_caller(app), groupId, funnelId, personId)


lambda_handler = make_handler(app)
