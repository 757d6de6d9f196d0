"""GET /templates/{templateId}: one system template with its steps and elements."""

from funnel_core.builder import templates
from funnel_core.builder.models.templates import Template
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import TemplateId

app = create_app(BUILDER)


@app.get("/templates/<templateId>", summary="Read a system template with its steps and elements")
def get_system_template(templateId: TemplateId) -> Template:
    current_caller(app)  # the catalog is for signed-in builders
    return templates.service().system_template(templateId)


lambda_handler = make_handler(app)
