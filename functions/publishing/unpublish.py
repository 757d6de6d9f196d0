"""POST /groups/{groupId}/funnels/{funnelId}/unpublish: back to draft; the pages stop serving."""

from funnel_core.domain import publishing
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import FunnelView

app = create_app()


@app.post("/groups/<groupId>/funnels/<funnelId>/unpublish")
def unpublish(groupId: str, funnelId: str) -> FunnelView:
    return publishing.unpublish(store(), current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app)
