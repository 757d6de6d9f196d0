"""POST /groups/{groupId}/funnels/{funnelId}/publish: freeze the funnel into a new live version."""

from funnel_core.domain import publishing
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import PublishResult

app = create_app()


@app.post("/groups/<groupId>/funnels/<funnelId>/publish")
def publish(groupId: str, funnelId: str) -> PublishResult:
    return publishing.publish(store(), current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app, idempotent_posts=True)
