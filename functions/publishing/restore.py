"""POST /groups/{groupId}/funnels/{funnelId}/versions/{n}/restore: make version n live again."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from funnel_core.domain import publishing
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import PublishResult

app = create_app()


@app.post("/groups/<groupId>/funnels/<funnelId>/versions/<n>/restore")
def restore(groupId: str, funnelId: str, n: Annotated[int, Path(ge=1)]) -> PublishResult:
    return publishing.restore(store(), current_caller(app), groupId, funnelId, n)


lambda_handler = make_handler(app, idempotent_posts=True)
