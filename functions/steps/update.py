"""PATCH /groups/{groupId}/funnels/{funnelId}/steps/{stepId}: rename, re-slug or change a step's properties."""

from funnel_core.builder import steps
from funnel_core.builder.models.aggregate import StepView
from funnel_core.builder.models.steps import StepUpdate
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId, StepId

app = create_app(BUILDER)


@app.patch("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>", summary="Update a step")
def update_step(groupId: GroupId, funnelId: FunnelId, stepId: StepId, body: StepUpdate) -> StepView:
    return steps.service().update(current_caller(app), groupId, funnelId, stepId, body)


lambda_handler = make_handler(app)
