"""POST /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements: add an element to a step."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import elements
from funnel_core.builder.models.aggregate import ElementView
from funnel_core.builder.models.elements import ElementCreate
from funnel_core.http.app import BUILDER, create_app, created, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId, StepId

app = create_app(BUILDER)


@app.post("/groups/<groupId>/funnels/<funnelId>/steps/<stepId>/elements", summary="Add an element", status_code=201)
def add_element(groupId: GroupId, funnelId: FunnelId, stepId: StepId, body: ElementCreate) -> Response[ElementView]:
    return created(elements.service().add(current_caller(app), groupId, funnelId, stepId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
