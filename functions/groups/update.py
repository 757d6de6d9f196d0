"""PATCH /groups/{groupId}: rename, re-slug, re-describe or resettle a group."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import GroupId
from funnel_core.ontology import groups
from funnel_core.ontology.models.groups import Group, GroupUpdate

app = create_app(ONTOLOGY)


@app.patch("/groups/<groupId>", summary="Update a group")
def update_group(groupId: GroupId, body: GroupUpdate) -> Group:
    return groups.service().update(current_caller(app), groupId, body)


lambda_handler = make_handler(app)
