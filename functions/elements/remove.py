"""DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}: remove an element."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import elements
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler, no_content
from funnel_core.http.params import ElementId, FunnelId, GroupId, StepId

app = create_app(BUILDER)


@app.delete(
    "/groups/<groupId>/funnels/<funnelId>/steps/<stepId>/elements/<elementId>",
    summary="Remove an element",
    status_code=204,
)
def remove_element(groupId: GroupId, funnelId: FunnelId, stepId: StepId, elementId: ElementId) -> Response[None]:
    elements.service().remove(current_caller(app), groupId, funnelId, stepId, elementId)
    return no_content()


lambda_handler = make_handler(app)
