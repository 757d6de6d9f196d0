"""GET /groups/{groupId}/templates: the group's own templates and the system templates."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.builder import templates
from funnel_core.builder.models.funnels import FunnelCategory
from funnel_core.builder.models.templates import TemplateKind, TemplateSummary
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit
from funnel_core.models.common import Page

app = create_app(BUILDER)


@app.get("/groups/<groupId>/templates", summary="List the group's and the system templates")
def list_group_templates(
    groupId: GroupId,
    kind: Annotated[TemplateKind | None, Query()] = None,
    category: Annotated[FunnelCategory | None, Query()] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[TemplateSummary]:
    return templates.service().list_group(current_caller(app), groupId, kind, category, limit, cursor)


lambda_handler = make_handler(app)
