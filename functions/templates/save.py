"""POST /groups/{groupId}/templates: save a funnel or a step as a template of the group."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import templates
from funnel_core.http.app import create_app, created, current_caller, make_handler, store

app = create_app()


@app.post("/groups/<groupId>/templates")
def save_template(groupId: str, body: templates.TemplateSave) -> Response[templates.TemplateSummary]:
    return created(templates.save_template(store(), current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
