"""GET /groups/{groupId}/members: members with their roles."""

from funnel_core.domain import members
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.common import Page
from funnel_core.models.members import Membership

app = create_app()


@app.get("/groups/<groupId>/members")
def list_members(groupId: str, limit: Limit = 25, cursor: Cursor = None) -> Page[Membership]:
    return members.list_members(store(), current_caller(app), groupId, limit, cursor)


lambda_handler = make_handler(app)
