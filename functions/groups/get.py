"""GET /groups/{groupId}: a group."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import GroupId
from funnel_core.ontology import groups
from funnel_core.ontology.models.groups import Group

app = create_app(ONTOLOGY)


@app.get("/groups/<groupId>", summary="Read a group")
def get_group(groupId: GroupId) -> Group:
    return groups.service().get(current_caller(app), groupId)


lambda_handler = make_handler(app)
