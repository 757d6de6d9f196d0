"""GET /templates: the system templates, by kind and category."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.builder import templates
from funnel_core.builder.models.funnels import FunnelCategory
from funnel_core.builder.models.templates import TemplateKind, TemplateSummary
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.models.common import Page

app = create_app(BUILDER)


@app.get("/templates", summary="List the system templates")
def list_system_templates(
    kind: Annotated[TemplateKind | None, Query()] = None,
    category: Annotated[FunnelCategory | None, Query()] = None,
) -> Page[TemplateSummary]:
    current_caller(app)  # the catalog is for signed-in builders
    return Page[TemplateSummary](items=templates.service().catalog(kind, category), nextCursor=None)


lambda_handler = make_handler(app)
