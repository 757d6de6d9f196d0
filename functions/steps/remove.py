"""DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}: remove a step; the sequence closes the gap."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, no_content, store

app = create_app()


@app.delete("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>")
def remove_step(groupId: str, funnelId: str, stepId: str) -> Response[None]:
    funnels.remove_step(store(), current_caller(app), groupId, funnelId, stepId)
    return no_content()


lambda_handler = make_handler(app)
