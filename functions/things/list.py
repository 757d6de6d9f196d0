"""GET /groups/{groupId}/things: the group's things, by type and status, newest first."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit
from funnel_core.models.common import Page, SnakeName
from funnel_core.ontology import things
from funnel_core.ontology.models.things import Thing, ThingStatus

app = create_app(ONTOLOGY)


@app.get("/groups/<groupId>/things", summary="List things by type and status")
def list_things(
    groupId: GroupId,
    type: Annotated[SnakeName | None, Query()] = None,
    status: Annotated[ThingStatus | None, Query()] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Thing]:
    return things.service().list(current_caller(app), groupId, type, status, limit, cursor)


lambda_handler = make_handler(app)
