"""GET /groups/{groupId}/templates: the group's own templates and the system templates."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.domain import templates
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.common import Page
from funnel_core.models.funnels import FunnelCategory

app = create_app()


@app.get("/groups/<groupId>/templates")
def list_group_templates(
    groupId: str,
    kind: Annotated[templates.TemplateKind | None, Query()] = None,
    category: Annotated[FunnelCategory | None, Query()] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[templates.TemplateSummary]:
    return templates.list_group_templates(store(), current_caller(app), groupId, kind, category, limit, cursor)


lambda_handler = make_handler(app)
