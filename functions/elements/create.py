"""POST /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements: add an element to a step."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import elements
from funnel_core.http.app import create_app, created, current_caller, make_handler, store
from funnel_core.models.builder import ElementView
from funnel_core.models.elements import ElementCreate

app = create_app()


@app.post("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>/elements")
def add_element(groupId: str, funnelId: str, stepId: str, body: ElementCreate) -> Response[ElementView]:
    return created(elements.add_element(store(), current_caller(app), groupId, funnelId, stepId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
