"""POST /groups/{groupId}/things: create a thing of a generic type."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import things
from funnel_core.http.app import create_app, created, current_caller, make_handler, store
from funnel_core.models.things import Thing, ThingCreate

app = create_app()


@app.post("/groups/<groupId>/things")
def create_thing(groupId: str, body: ThingCreate) -> Response[Thing]:
    return created(things.create_thing(store(), current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
