"""PATCH /groups/{groupId}/funnels/{funnelId}/steps/{stepId}: change a step's name, slug or properties."""

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import StepView
from funnel_core.models.funnels import StepUpdate

app = create_app()


@app.patch("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>")
def update_step(groupId: str, funnelId: str, stepId: str, body: StepUpdate) -> StepView:
    return funnels.update_step(store(), current_caller(app), groupId, funnelId, stepId, body)


lambda_handler = make_handler(app)
