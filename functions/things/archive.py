"""DELETE /groups/{groupId}/things/{thingId}: archive a thing; its live connections end with it."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import GroupId, ThingId
from funnel_core.ontology import things
from funnel_core.ontology.models.things import Thing

app = create_app(ONTOLOGY)


@app.delete("/groups/<groupId>/things/<thingId>", summary="Archive a thing")
def archive_thing(groupId: GroupId, thingId: ThingId) -> Thing:
    return things.service().archive(current_caller(app), groupId, thingId)


lambda_handler = make_handler(app)
