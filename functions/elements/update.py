"""PATCH /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}: change an element."""

from funnel_core.domain import elements
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import ElementView
from funnel_core.models.elements import ElementUpdate

app = create_app()


@app.patch("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>/elements/<elementId>")
def update_element(groupId: str, funnelId: str, stepId: str, elementId: str, body: ElementUpdate) -> ElementView:
    return elements.update_element(store(), current_caller(app), groupId, funnelId, stepId, elementId, body)


lambda_handler = make_handler(app)
