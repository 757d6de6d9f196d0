"""PATCH /groups/{groupId}/funnels/{funnelId}: rename, re-slug or change a funnel's properties."""

from funnel_core.builder import funnels
from funnel_core.builder.models.aggregate import FunnelView
from funnel_core.builder.models.funnels import FunnelUpdate
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId
from funnel_core.pages import projection  # noqa: F401 (its pages follow what this route makes live)

app = create_app(BUILDER)


@app.patch("/groups/<groupId>/funnels/<funnelId>", summary="Update a funnel")
def update_funnel(groupId: GroupId, funnelId: FunnelId, body: FunnelUpdate) -> FunnelView:
    return funnels.service().update(current_caller(app), groupId, funnelId, body)


lambda_handler = make_handler(app)
