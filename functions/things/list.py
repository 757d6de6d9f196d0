"""GET /groups/{groupId}/things: things of the group, by type and status, newest first."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.domain import things
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.common import Page, SnakeName
from funnel_core.models.things import Thing, ThingStatus

app = create_app()


@app.get("/groups/<groupId>/things")
def list_things(
    groupId: str,
    type: Annotated[SnakeName | None, Query()] = None,
    status: Annotated[ThingStatus | None, Query()] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Thing]:
    return things.list_things(store(), current_caller(app), groupId, type, status, limit, cursor)


lambda_handler = make_handler(app)
