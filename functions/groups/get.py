"""GET /groups/{groupId}: one group."""

from funnel_core.domain import groups
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.groups import Group

app = create_app()


@app.get("/groups/<groupId>")
def get_group(groupId: str) -> Group:
    return groups.get_group(store(), current_caller(app), groupId)


lambda_handler = make_handler(app)
