"""DELETE /groups/{groupId}/connections/{connectionId}: end a connection (its validTo is set)."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import ConnectionId, GroupId
from funnel_core.ontology import connections
from funnel_core.ontology.models.connections import Connection

app = create_app(ONTOLOGY)


@app.delete("/groups/<groupId>/connections/<connectionId>", summary="End a connection")
def end_connection(groupId: GroupId, connectionId: ConnectionId) -> Connection:
    return connections.service().end(current_caller(app), groupId, connectionId)


lambda_handler = make_handler(app)
