"""POST /groups/{groupId}/funnels: create a draft funnel."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, created, current_caller, make_handler, store
from funnel_core.models.builder import FunnelView
from funnel_core.models.funnels import FunnelCreate

app = create_app()


@app.post("/groups/<groupId>/funnels")
def create_funnel(groupId: str, body: FunnelCreate) -> Response[FunnelView]:
    return created(funnels.create_funnel(store(), current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
