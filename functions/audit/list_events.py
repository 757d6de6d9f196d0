"""GET /groups/{groupId}/events: the audit trail, newest first."""

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.audit.events import Event, EventType
from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit
from funnel_core.models.common import Id, Page
from funnel_core.ontology import events

app = create_app(ONTOLOGY)


@app.get("/groups/<groupId>/events", summary="List the audit trail, newest first")
def list_events(
    groupId: GroupId,
    type: Annotated[EventType | None, Query()] = None,
    actorId: Annotated[Id | None, Query()] = None,
    targetId: Annotated[Id | None, Query()] = None,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Event]:
    caller = current_caller(app)
    return events.service().list(caller, groupId, type, actorId, targetId, since, until, limit, cursor)


lambda_handler = make_handler(app)
