"""PUT /groups/{groupId}/funnels/{funnelId}/step-order: put the steps in a new order."""

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import FunnelView
from funnel_core.models.funnels import StepOrder

app = create_app()


@app.put("/groups/<groupId>/funnels/<funnelId>/step-order")
def reorder_steps(groupId: str, funnelId: str, body: StepOrder) -> FunnelView:
    return funnels.reorder_steps(store(), current_caller(app), groupId, funnelId, body)


lambda_handler = make_handler(app)
