"""POST /groups/{groupId}/things: create a thing of any type without routes of its own."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.http.app import ONTOLOGY, create_app, created, current_caller, make_handler
from funnel_core.http.params import GroupId
from funnel_core.ontology import things
from funnel_core.ontology.models.things import Thing, ThingCreate

app = create_app(ONTOLOGY)


@app.post("/groups/<groupId>/things", summary="Create a thing", status_code=201)
def create_thing(groupId: GroupId, body: ThingCreate) -> Response[Thing]:
    return created(things.service().create(current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
