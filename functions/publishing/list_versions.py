"""GET /groups/{groupId}/funnels/{funnelId}/versions: the funnel's published versions."""

from funnel_core.builder import publishing
from funnel_core.builder.models.versions import VersionSummary
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, FunnelId, GroupId, Limit
from funnel_core.models.common import Page

app = create_app(BUILDER)


@app.get("/groups/<groupId>/funnels/<funnelId>/versions", summary="List published versions")
def list_versions(
    groupId: GroupId, funnelId: FunnelId, limit: Limit = 25, cursor: Cursor = None
) -> Page[VersionSummary]:
    return publishing.service().list(current_caller(app), groupId, funnelId, limit, cursor)


lambda_handler = make_handler(app)
