"""POST /groups/{groupId}/funnels: create a draft funnel, from scratch or from a template."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import funnels
from funnel_core.builder.models.aggregate import FunnelView
from funnel_core.builder.models.funnels import FunnelCreate
from funnel_core.http.app import BUILDER, create_app, created, current_caller, make_handler
from funnel_core.http.params import GroupId

app = create_app(BUILDER)


@app.post("/groups/<groupId>/funnels", summary="Create a draft funnel, from scratch or a template", status_code=201)
def create_funnel(groupId: GroupId, body: FunnelCreate) -> Response[FunnelView]:
    return created(funnels.service().create(current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
