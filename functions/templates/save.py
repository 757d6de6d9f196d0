"""POST /groups/{groupId}/templates: save a funnel or a step as a template of the group."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import templates
from funnel_core.builder.models.templates import TemplateSave, TemplateSummary
from funnel_core.http.app import BUILDER, create_app, created, current_caller, make_handler
from funnel_core.http.params import GroupId

app = create_app(BUILDER)


@app.post("/groups/<groupId>/templates", summary="Save a funnel or a step as a template", status_code=201)
def save_template(groupId: GroupId, body: TemplateSave) -> Response[TemplateSummary]:
    return created(templates.service().save(current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
