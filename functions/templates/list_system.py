"""GET /templates: the system templates, by kind and category."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.domain import templates
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.common import Page
from funnel_core.models.funnels import FunnelCategory

app = create_app()


@app.get("/templates")
def list_system_templates(
    kind: Annotated[templates.TemplateKind | None, Query()] = None,
    category: Annotated[FunnelCategory | None, Query()] = None,
) -> Page[templates.TemplateSummary]:
    current_caller(app)  # the catalog is for signed-in builders
    return Page[templates.TemplateSummary](items=templates.list_catalog(store(), kind, category), nextCursor=None)


lambda_handler = make_handler(app)
