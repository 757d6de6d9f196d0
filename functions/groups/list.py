"""GET /groups: the groups the caller holds a role in."""

from funnel_core.domain import groups
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.http.params import Cursor, Limit
from funnel_core.models.common import Page
from funnel_core.models.groups import Group

app = create_app()


@app.get("/groups")
def list_groups(limit: Limit = 25, cursor: Cursor = None) -> Page[Group]:
    return groups.list_my_groups(store(), current_caller(app), limit, cursor)


lambda_handler = make_handler(app)
