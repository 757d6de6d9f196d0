"""GET /groups: the groups the caller holds a role in."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.common import Page
from funnel_core.ontology import groups
from funnel_core.ontology.models.groups import Group

app = create_app(ONTOLOGY)


@app.get("/groups", summary="The groups you hold a role in")
def list_groups(limit: Limit = 25, cursor: Cursor = None) -> Page[Group]:
    return groups.service().list_mine(current_caller(app), limit, cursor)


lambda_handler = make_handler(app)
