"""POST /groups: create a group (top-level, or a child of a group the caller owns)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.domain import groups
from funnel_core.http.app import create_app, created, current_caller, make_handler, store
from funnel_core.models.groups import Group, GroupCreate

app = create_app()


@app.post("/groups")
def create_group(body: GroupCreate) -> Response[Group]:
    return created(groups.create_group(store(), current_caller(app), body))


lambda_handler = make_handler(app, idempotent_posts=True)
