"""DELETE /groups/{groupId}/knowledge/{knowledgeId}: remove a knowledge item."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import knowledge
from funnel_core.http.app import create_app, current_caller, make_handler, no_content, store

app = create_app()


@app.delete("/groups/<groupId>/knowledge/<knowledgeId>")
def delete_knowledge(groupId: str, knowledgeId: str) -> Response[None]:
    knowledge.delete_knowledge(store(), current_caller(app), groupId, knowledgeId)
    return no_content()


lambda_handler = make_handler(app)
