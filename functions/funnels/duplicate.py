"""POST /groups/{groupId}/funnels/{funnelId}/duplicate: a new draft "<name> (Copy)" with all steps and elements."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import funnels
from funnel_core.builder.models.aggregate import FunnelView
from funnel_core.http.app import BUILDER, create_app, created, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId

app = create_app(BUILDER)


@app.post("/groups/<groupId>/funnels/<funnelId>/duplicate", summary="Duplicate a funnel", status_code=201)
def duplicate_funnel(groupId: GroupId, funnelId: FunnelId) -> Response[FunnelView]:
    return created(funnels.service().duplicate(current_caller(app), groupId, funnelId))


lambda_handler = make_handler(app, idempotent_posts=True)
