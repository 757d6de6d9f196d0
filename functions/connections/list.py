"""GET /groups/{groupId}/things/{thingId}/connections: live connections out of or into a thing."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit, ThingId
from funnel_core.models.common import Page, SnakeName
from funnel_core.ontology import connections
from funnel_core.ontology.models.connections import Connection, Direction

app = create_app(ONTOLOGY)


@app.get("/groups/<groupId>/things/<thingId>/connections", summary="List a thing's connections")
def list_connections(
    groupId: GroupId,
    thingId: ThingId,
    direction: Annotated[Direction, Query()] = Direction.OUT,
    type: Annotated[SnakeName | None, Query()] = None,
    includeEnded: Annotated[bool, Query()] = False,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Connection]:
    caller = current_caller(app)
    return connections.service().list_of(caller, groupId, thingId, direction.value, type, includeEnded, limit, cursor)


lambda_handler = make_handler(app)
