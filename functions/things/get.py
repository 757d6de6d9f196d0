"""GET /groups/{groupId}/things/{thingId}: one thing."""

from funnel_core.domain import things
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.things import Thing

app = create_app()


@app.get("/groups/<groupId>/things/<thingId>")
def get_thing(groupId: str, thingId: str) -> Thing:
    return things.get_thing(store(), current_caller(app), groupId, thingId)


lambda_handler = make_handler(app)
