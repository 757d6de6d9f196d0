"""DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}: remove an element."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import elements
from funnel_core.http.app import create_app, current_caller, make_handler, no_content, store

app = create_app()


@app.delete("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>/elements/<elementId>")
def remove_element(groupId: str, funnelId: str, stepId: str, elementId: str) -> Response[None]:
    elements.remove_element(store(), current_caller(app), groupId, funnelId, stepId, elementId)
    return no_content()


lambda_handler = make_handler(app)
