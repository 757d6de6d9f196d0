"""PUT /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/element-order: put a step's elements in a new order."""

from funnel_core.domain import elements
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import StepView
from funnel_core.models.funnels import ElementOrder

app = create_app()


@app.put("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>/element-order")
def reorder_elements(groupId: str, funnelId: str, stepId: str, body: ElementOrder) -> StepView:
    return elements.reorder_elements(store(), current_caller(app), groupId, funnelId, stepId, body)


lambda_handler = make_handler(app)
