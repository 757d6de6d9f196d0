"""PATCH /groups/{groupId}: update a group at the version the client read."""

from funnel_core.domain import groups
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.groups import Group, GroupUpdate

app = create_app()


@app.patch("/groups/<groupId>")
def update_group(groupId: str, body: GroupUpdate) -> Group:
    return groups.update_group(store(), current_caller(app), groupId, body)


lambda_handler = make_handler(app)
