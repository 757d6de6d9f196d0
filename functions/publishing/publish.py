"""POST /groups/{groupId}/funnels/{funnelId}/publish: freeze the funnel into a new live version."""

from funnel_core.builder import lifecycle
from funnel_core.builder.models.versions import PublishResult
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId
from funnel_core.pages import projection  # noqa: F401 (its pages follow what this route makes live)

app = create_app(BUILDER)


@app.post("/groups/<groupId>/funnels/<funnelId>/publish", summary="Publish the funnel as a new version")
def publish(groupId: GroupId, funnelId: FunnelId) -> PublishResult:
    return lifecycle.service().publish(current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app)
