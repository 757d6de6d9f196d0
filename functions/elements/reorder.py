"""PUT /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/element-order: put a step's elements in a new order."""

from funnel_core.builder import elements
from funnel_core.builder.models.aggregate import StepView
from funnel_core.builder.models.elements import ElementOrder
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId, StepId

app = create_app(BUILDER)


@app.put("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>/element-order", summary="Reorder a step's elements")
def reorder_elements(groupId: GroupId, funnelId: FunnelId, stepId: StepId, body: ElementOrder) -> StepView:
    return elements.service().reorder(current_caller(app), groupId, funnelId, stepId, body)


lambda_handler = make_handler(app)
