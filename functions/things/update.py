"""PATCH /groups/{groupId}/things/{thingId}: update a thing at the version the client read."""

from funnel_core.domain import things
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.things import Thing, ThingUpdate

app = create_app()


@app.patch("/groups/<groupId>/things/<thingId>")
def update_thing(groupId: str, thingId: str, body: ThingUpdate) -> Thing:
    return things.update_thing(store(), current_caller(app), groupId, thingId, body)


lambda_handler = make_handler(app)
