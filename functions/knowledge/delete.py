"""DELETE /groups/{groupId}/knowledge/{knowledgeId}: remove a knowledge item."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler, no_content
from funnel_core.http.params import GroupId, KnowledgeId
from funnel_core.ontology import knowledge

app = create_app(ONTOLOGY)


@app.delete("/groups/<groupId>/knowledge/<knowledgeId>", summary="Remove a knowledge item", status_code=204)
def delete_knowledge(groupId: GroupId, knowledgeId: KnowledgeId) -> Response[None]:
    knowledge.service().delete(current_caller(app), groupId, knowledgeId)
    return no_content()


lambda_handler = make_handler(app)
