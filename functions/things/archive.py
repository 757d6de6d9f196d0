"""DELETE /groups/{groupId}/things/{thingId}: archive a thing (soft delete)."""

from funnel_core.domain import things
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.things import Thing

app = create_app()


@app.delete("/groups/<groupId>/things/<thingId>")
def archive_thing(groupId: str, thingId: str) -> Thing:
    return things.archive_thing(store(), current_caller(app), groupId, thingId)


lambda_handler = make_handler(app)
