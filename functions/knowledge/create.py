"""POST /groups/{groupId}/knowledge: add a label or a text chunk."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import knowledge
from funnel_core.http.app import create_app, created, current_caller, make_handler, store
from funnel_core.models.knowledge import Knowledge, KnowledgeCreate

app = create_app()


@app.post("/groups/<groupId>/knowledge")
def create_knowledge(groupId: str, body: KnowledgeCreate) -> Response[Knowledge]:
    return created(knowledge.create_knowledge(store(), current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
