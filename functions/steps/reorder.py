"""PUT /groups/{groupId}/funnels/{funnelId}/step-order: put the steps in a new sequence."""

from funnel_core.builder import steps
from funnel_core.builder.models.aggregate import FunnelView
from funnel_core.builder.models.steps import StepOrder
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId

app = create_app(BUILDER)


@app.put("/groups/<groupId>/funnels/<funnelId>/step-order", summary="Reorder the steps")
def reorder_steps(groupId: GroupId, funnelId: FunnelId, body: StepOrder) -> FunnelView:
    return steps.service().reorder(current_caller(app), groupId, funnelId, body)


lambda_handler = make_handler(app)
