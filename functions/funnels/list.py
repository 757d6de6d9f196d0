"""GET /groups/{groupId}/funnels: the group's funnels, by status, newest first."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.builder import funnels
from funnel_core.builder.models.aggregate import Funnel, FunnelStatus
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit
from funnel_core.models.common import Page

app = create_app(BUILDER)


@app.get("/groups/<groupId>/funnels", summary="List funnels by status")
def list_funnels(
    groupId: GroupId, status: Annotated[FunnelStatus | None, Query()] = None, limit: Limit = 25, cursor: Cursor = None
) -> Page[Funnel]:
    return funnels.service().list(current_caller(app), groupId, status, limit, cursor)


lambda_handler = make_handler(app)
