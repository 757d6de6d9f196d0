"""GET /groups/{groupId}/children: the group's child groups."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit
from funnel_core.models.common import Page
from funnel_core.ontology import groups
from funnel_core.ontology.models.groups import Group

app = create_app(ONTOLOGY)


@app.get("/groups/<groupId>/children", summary="List child groups")
def list_child_groups(groupId: GroupId, limit: Limit = 25, cursor: Cursor = None) -> Page[Group]:
    return groups.service().list_children(current_caller(app), groupId, limit, cursor)


lambda_handler = make_handler(app)
