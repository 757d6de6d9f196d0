"""POST /groups/{groupId}/funnels/{funnelId}/versions/{n}/restore: make version n live again."""

from funnel_core.builder import lifecycle
from funnel_core.builder.models.versions import PublishResult
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId, VersionNumber
from funnel_core.pages import projection  # noqa: F401 (its pages follow what this route makes live)

app = create_app(BUILDER)


@app.post("/groups/<groupId>/funnels/<funnelId>/versions/<n>/restore", summary="Make a published version live again")
def restore(groupId: GroupId, funnelId: FunnelId, n: VersionNumber) -> PublishResult:
    return lifecycle.service().restore(current_caller(app), groupId, funnelId, n)


lambda_handler = make_handler(app)
