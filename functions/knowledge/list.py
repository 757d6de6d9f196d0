"""GET /groups/{groupId}/knowledge: knowledge items, by source thing or label."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit
from funnel_core.models.common import Id, Page
from funnel_core.ontology import knowledge
from funnel_core.ontology.models.knowledge import Knowledge, Label

app = create_app(ONTOLOGY)


@app.get("/groups/<groupId>/knowledge", summary="List knowledge by source thing or label")
def list_knowledge(
    groupId: GroupId,
    sourceThingId: Annotated[Id | None, Query()] = None,
    label: Annotated[Label | None, Query()] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Knowledge]:
    return knowledge.service().list(current_caller(app), groupId, sourceThingId, label, limit, cursor)


lambda_handler = make_handler(app)
