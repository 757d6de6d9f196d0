"""POST /groups/{groupId}/funnels/{funnelId}/duplicate: a new draft "<name> (Copy)" with all steps and elements."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, created, current_caller, make_handler, store
from funnel_core.models.builder import FunnelView

app = create_app()


@app.post("/groups/<groupId>/funnels/<funnelId>/duplicate")
def duplicate_funnel(groupId: str, funnelId: str) -> Response[FunnelView]:
    return created(funnels.duplicate_funnel(store(), current_caller(app), groupId, funnelId))


lambda_handler = make_handler(app, idempotent_posts=True)
