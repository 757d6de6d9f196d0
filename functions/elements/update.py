"""PATCH /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}: change an element."""

from funnel_core.builder import elements
from funnel_core.builder.models.aggregate import ElementView
from funnel_core.builder.models.elements import ElementUpdate
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import ElementId, FunnelId, GroupId, StepId

app = create_app(BUILDER)


@app.patch("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>/elements/<elementId>", summary="Update an element")
def update_element(
    groupId: GroupId, funnelId: FunnelId, stepId: StepId, elementId: ElementId, body: ElementUpdate
) -> ElementView:
    return elements.service().update(current_caller(app), groupId, funnelId, stepId, elementId, body)


lambda_handler = make_handler(app)
