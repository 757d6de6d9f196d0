"""POST /groups/{groupId}/funnels/{funnelId}/steps: append a step (optionally from a page template)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import steps
from funnel_core.builder.models.aggregate import StepView
from funnel_core.builder.models.steps import StepCreate
from funnel_core.http.app import BUILDER, create_app, created, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId

app = create_app(BUILDER)


@app.post("/groups/<groupId>/funnels/<funnelId>/steps", summary="Append a step", status_code=201)
def add_step(groupId: GroupId, funnelId: FunnelId, body: StepCreate) -> Response[StepView]:
    return created(steps.service().add(current_caller(app), groupId, funnelId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
