"""POST /groups: create a group (top-level, or a child of a group the caller owns)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.http.app import ONTOLOGY, create_app, created, current_caller, make_handler
from funnel_core.ontology import groups
from funnel_core.ontology.models.groups import Group, GroupCreate

app = create_app(ONTOLOGY)


@app.post("/groups", summary="Create a group", status_code=201)
def create_group(body: GroupCreate) -> Response[Group]:
    return created(groups.service().create(current_caller(app), body))


lambda_handler = make_handler(app, idempotent_posts=True)
