"""DELETE /groups/{groupId}/funnels/{funnelId}/assignees/{personId}: take the assignment back."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, no_content, store

app = create_app()


@app.delete("/groups/<groupId>/funnels/<funnelId>/assignees/<personId>")
def unassign(groupId: str, funnelId: str, personId: str) -> Response[None]:
    funnels.unassign(store(), current_caller(app), groupId, funnelId, personId)
    return no_content()


lambda_handler = make_handler(app)
