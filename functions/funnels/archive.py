"""DELETE /groups/{groupId}/funnels/{funnelId}: archive a funnel."""

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import FunnelView

app = create_app()


@app.delete("/groups/<groupId>/funnels/<funnelId>")
def archive_funnel(groupId: str, funnelId: str) -> FunnelView:
    return funnels.archive_funnel(store(), current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app)
