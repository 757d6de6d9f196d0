"""PATCH /groups/{groupId}/things/{thingId}: change a thing's name, status or properties."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import GroupId, ThingId
from funnel_core.ontology import things
from funnel_core.ontology.models.things import Thing, ThingUpdate

app = create_app(ONTOLOGY)


@app.patch("/groups/<groupId>/things/<thingId>", summary="Update a thing")
def update_thing(groupId: GroupId, thingId: ThingId, body: ThingUpdate) -> Thing:
    return things.service().update(current_caller(app), groupId, thingId, body)


lambda_handler = make_handler(app)
