"""DELETE /groups/{groupId}/members/{personId}: remove a member (or leave the group)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import members
from funnel_core.http.app import create_app, current_caller, make_handler, no_content, store

app = create_app()


@app.delete("/groups/<groupId>/members/<personId>")
def remove_member(groupId: str, personId: str) -> Response[None]:
    members.remove_member(store(), current_caller(app), groupId, personId)
    return no_content()


lambda_handler = make_handler(app)
