"""GET /groups/{groupId}/funnels: the group's funnels, by status, newest first."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.builder import Funnel, FunnelStatus
from funnel_core.models.common import Page

app = create_app()


@app.get("/groups/<groupId>/funnels")
def list_funnels(
    groupId: str, status: Annotated[FunnelStatus | None, Query()] = None, limit: Limit = 25, cursor: Cursor = None
) -> Page[Funnel]:
    return funnels.list_funnels(store(), current_caller(app), groupId, status, limit, cursor)


lambda_handler = make_handler(app)
