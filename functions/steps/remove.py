"""DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}: remove a step; the sequence closes the gap."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import steps
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler, no_content
from funnel_core.http.params import FunnelId, GroupId, StepId

app = create_app(BUILDER)


@app.delete("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>", summary="Remove a step", status_code=204)
def remove_step(groupId: GroupId, funnelId: FunnelId, stepId: StepId) -> Response[None]:
    steps.service().remove(current_caller(app), groupId, funnelId, stepId)
    return no_content()


lambda_handler = make_handler(app)
