"""GET /groups/{groupId}/funnels/{funnelId}: the funnel with its steps in sequence and their elements."""

from funnel_core.builder import funnels
from funnel_core.builder.models.aggregate import FunnelView
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId

app = create_app(BUILDER)


@app.get("/groups/<groupId>/funnels/<funnelId>", summary="Read a funnel with its steps and elements")
def get_funnel(groupId: GroupId, funnelId: FunnelId) -> FunnelView:
    return funnels.service().get(current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app)
