"""POST /groups/{groupId}/funnels/{funnelId}/ab-tests: a draft A/B test of a step against variants."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import ab_tests
from funnel_core.builder.models.ab_tests import AbTest, AbTestCreate
from funnel_core.http.app import BUILDER, create_app, created, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId

app = create_app(BUILDER)


@app.post(
    "/groups/<groupId>/funnels/<funnelId>/ab-tests",
    summary="Make a draft A/B test: a control step, variant steps, their traffic split and the metric",
    status_code=201,
)
def create_ab_test(groupId: GroupId, funnelId: FunnelId, body: AbTestCreate) -> Response[AbTest]:
    return created(ab_tests.service().create(current_caller(app), groupId, funnelId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
