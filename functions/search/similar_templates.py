"""GET /groups/{groupId}/funnels/{funnelId}/similar-templates: the templates nearest in meaning to
a funnel (funnel templates) or, with ``stepId``, to one of its steps (page templates)."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId
from funnel_core.models.common import ID_PATTERN, Page
from funnel_core.search import query
from funnel_core.search.query import SearchHit

app = create_app(BUILDER)

StepFilter = Annotated[
    str | None, Query(pattern=ID_PATTERN, max_length=128, description="A step of the funnel: page templates like it.")
]


@app.get("/groups/<groupId>/funnels/<funnelId>/similar-templates", summary="Templates similar to a funnel or step")
def similar_templates(
    groupId: GroupId,
    funnelId: FunnelId,
    stepId: StepFilter = None,
    limit: Annotated[int, Query(ge=1, le=20, description="How many templates (1-20).")] = 5,
) -> Page[SearchHit]:
    found = query.service().similar_templates(current_caller(app), groupId, funnelId, stepId, limit)
    return Page[SearchHit](items=found)


lambda_handler = make_handler(app)
