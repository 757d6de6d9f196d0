"""POST /groups/{groupId}/knowledge: add a label or a text chunk."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.http.app import ONTOLOGY, create_app, created, current_caller, make_handler
from funnel_core.http.params import GroupId
from funnel_core.ontology import knowledge
from funnel_core.ontology.models.knowledge import Knowledge, KnowledgeCreate

app = create_app(ONTOLOGY)


@app.post("/groups/<groupId>/knowledge", summary="Add a label or a text chunk", status_code=201)
def create_knowledge(groupId: GroupId, body: KnowledgeCreate) -> Response[Knowledge]:
    return created(knowledge.service().create(current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
