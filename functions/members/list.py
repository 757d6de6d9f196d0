"""GET /groups/{groupId}/members: the group's members and their roles."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit
from funnel_core.models.common import Page
from funnel_core.ontology import members
from funnel_core.ontology.models.members import Membership

app = create_app(ONTOLOGY)


@app.get("/groups/<groupId>/members", summary="List members and their roles")
def list_members(groupId: GroupId, limit: Limit = 25, cursor: Cursor = None) -> Page[Membership]:
    return members.service().list_members(current_caller(app), groupId, limit, cursor)


lambda_handler = make_handler(app)
