"""GET /groups/{groupId}/funnels/{funnelId}/steps/{stepId}: a step with its elements."""

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import StepView

app = create_app()


@app.get("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>")
def get_step(groupId: str, funnelId: str, stepId: str) -> StepView:
    return funnels.get_step(store(), current_caller(app), groupId, funnelId, stepId)


lambda_handler = make_handler(app)
