"""POST /groups/{groupId}/connections: connect two things of the group."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import connections
from funnel_core.http.app import create_app, created, current_caller, make_handler, store
from funnel_core.models.connections import Connection, ConnectionCreate

app = create_app()


@app.post("/groups/<groupId>/connections")
def create_connection(groupId: str, body: ConnectionCreate) -> Response[Connection]:
    return created(connections.create_connection(store(), current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
