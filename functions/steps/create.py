"""POST /groups/{groupId}/funnels/{funnelId}/steps: append a step to the funnel."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, created, current_caller, make_handler, store
from funnel_core.models.builder import StepView
from funnel_core.models.funnels import StepCreate

app = create_app()


@app.post("/groups/<groupId>/funnels/<funnelId>/steps")
def add_step(groupId: str, funnelId: str, body: StepCreate) -> Response[StepView]:
    return created(funnels.add_step(store(), current_caller(app), groupId, funnelId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
