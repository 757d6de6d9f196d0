"""GET /groups/{groupId}/funnels/{funnelId}/steps/{stepId}: a step with its elements in position."""

from funnel_core.builder import steps
from funnel_core.builder.models.aggregate import StepView
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId, StepId

app = create_app(BUILDER)


@app.get("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>", summary="Read a step with its elements")
def get_step(groupId: GroupId, funnelId: FunnelId, stepId: StepId) -> StepView:
    return steps.service().get(current_caller(app), groupId, funnelId, stepId)


lambda_handler = make_handler(app)
