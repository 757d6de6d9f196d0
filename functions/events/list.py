"""GET /groups/{groupId}/events: the audit trail, newest first."""

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.domain import events
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.common import Id, Page
from funnel_core.models.events import Event, EventType

app = create_app()


@app.get("/groups/<groupId>/events")
def list_events(
    groupId: str,
    type: Annotated[EventType | None, Query()] = None,
    actorId: Annotated[Id | None, Query()] = None,
    targetId: Annotated[Id | None, Query()] = None,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Event]:
    caller = current_caller(app)
    return events.list_events(store(), caller, groupId, type, actorId, targetId, since, until, limit, cursor)


lambda_handler = make_handler(app)
