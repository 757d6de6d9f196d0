"""PATCH /groups/{groupId}/funnels/{funnelId}: rename, re-slug or change a funnel's properties."""

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import FunnelView
from funnel_core.models.funnels import FunnelUpdate

app = create_app()


@app.patch("/groups/<groupId>/funnels/<funnelId>")
def update_funnel(groupId: str, funnelId: str, body: FunnelUpdate) -> FunnelView:
    return funnels.update_funnel(store(), current_caller(app), groupId, funnelId, body)


lambda_handler = make_handler(app)
