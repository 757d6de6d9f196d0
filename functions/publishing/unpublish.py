"""POST /groups/{groupId}/funnels/{funnelId}/unpublish: back to draft; pages stop serving."""

from funnel_core.builder import lifecycle
from funnel_core.builder.models.aggregate import FunnelView
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId
from funnel_core.pages import projection  # noqa: F401 (its pages follow what this route makes live)

app = create_app(BUILDER)


@app.post("/groups/<groupId>/funnels/<funnelId>/unpublish", summary="Unpublish the funnel")
def unpublish(groupId: GroupId, funnelId: FunnelId) -> FunnelView:
    return lifecycle.service().unpublish(current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app)
