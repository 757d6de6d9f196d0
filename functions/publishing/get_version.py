"""GET /groups/{groupId}/funnels/{funnelId}/versions/{n}: a published version exactly as it was frozen."""

from funnel_core.builder import publishing
from funnel_core.builder.models.aggregate import FunnelView
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId, VersionNumber

app = create_app(BUILDER)


@app.get("/groups/<groupId>/funnels/<funnelId>/versions/<n>", summary="Read a published version")
def get_version(groupId: GroupId, funnelId: FunnelId, n: VersionNumber) -> FunnelView:
    return publishing.service().read(current_caller(app), groupId, funnelId, n)


lambda_handler = make_handler(app)
