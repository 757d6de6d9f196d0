"""GET /groups/{groupId}/things/{thingId}: a thing by id, whatever its type."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import GroupId, ThingId
from funnel_core.ontology import things
from funnel_core.ontology.models.things import Thing

app = create_app(ONTOLOGY)


@app.get("/groups/<groupId>/things/<thingId>", summary="Read a thing")
def get_thing(groupId: GroupId, thingId: ThingId) -> Thing:
    return things.service().get(current_caller(app), groupId, thingId)


lambda_handler = make_handler(app)
