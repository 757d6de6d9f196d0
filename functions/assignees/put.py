"""PUT /groups/{groupId}/funnels/{funnelId}/assignees/{personId}: assign a group_user to the funnel."""

from funnel_core.domain import funnels
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.connections import Connection

app = create_app()


@app.put("/groups/<groupId>/funnels/<funnelId>/assignees/<personId>")
def assign(groupId: str, funnelId: str, personId: str) -> Connection:
    return funnels.assign(store(), current_caller(app), groupId, funnelId, personId)


lambda_handler = make_handler(app)
