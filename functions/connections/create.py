"""POST /groups/{groupId}/connections: connect two things of the group."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.http.app import ONTOLOGY, create_app, created, current_caller, make_handler
from funnel_core.http.params import GroupId
from funnel_core.ontology import connections
from funnel_core.ontology.models.connections import Connection, ConnectionCreate

app = create_app(ONTOLOGY)


@app.post("/groups/<groupId>/connections", summary="Connect two things", status_code=201)
def create_connection(groupId: GroupId, body: ConnectionCreate) -> Response[Connection]:
    return created(connections.service().create(current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
