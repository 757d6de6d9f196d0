"""GET /groups/{groupId}/funnels/{funnelId}/versions: the published versions, newest first."""

from funnel_core.domain import publishing
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.builder import VersionSummary
from funnel_core.models.common import Page

app = create_app()


@app.get("/groups/<groupId>/funnels/<funnelId>/versions")
def list_versions(groupId: str, funnelId: str, limit: Limit = 25, cursor: Cursor = None) -> Page[VersionSummary]:
    return publishing.list_versions(store(), current_caller(app), groupId, funnelId, limit, cursor)


lambda_handler = make_handler(app)
