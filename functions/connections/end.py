"""DELETE /groups/{groupId}/connections/{connectionId}: end a connection (sets validTo)."""

from funnel_core.domain import connections
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.connections import Connection

app = create_app()


@app.delete("/groups/<groupId>/connections/<connectionId>")
def end_connection(groupId: str, connectionId: str) -> Connection:
    return connections.end_connection(store(), current_caller(app), groupId, connectionId)


lambda_handler = make_handler(app)
