"""GET /groups/{groupId}/funnels/{funnelId}/versions/{n}: a published version exactly as it was frozen."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from funnel_core.domain import publishing
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.builder import FunnelView

app = create_app()


@app.get("/groups/<groupId>/funnels/<funnelId>/versions/<n>")
def get_version(groupId: str, funnelId: str, n: Annotated[int, Path(ge=1)]) -> FunnelView:
    return publishing.read_version(store(), current_caller(app), groupId, funnelId, n)


lambda_handler = make_handler(app)
