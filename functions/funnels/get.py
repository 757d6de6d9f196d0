"""GET /groups/{groupId}/funnels/{funnelId}: the funnel with its steps in sequence and their elements."""

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import FunnelView

app = create_app()


@app.get("/groups/<groupId>/funnels/<funnelId>")
def get_funnel(groupId: str, funnelId: str) -> FunnelView:
    return funnels.get_funnel(store(), current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app)
