"""GET /groups/{groupId}/knowledge: knowledge items, by source thing or label."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.domain import knowledge
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.common import Id, Page
from funnel_core.models.knowledge import Knowledge, Label

app = create_app()


@app.get("/groups/<groupId>/knowledge")
def list_knowledge(
    groupId: str,
    sourceThingId: Annotated[Id | None, Query()] = None,
    label: Annotated[Label | None, Query()] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Knowledge]:
    return knowledge.list_knowledge(store(), current_caller(app), groupId, sourceThingId, label, limit, cursor)


lambda_handler = make_handler(app)
