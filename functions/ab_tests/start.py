"""POST /groups/{groupId}/funnels/{funnelId}/ab-tests/{testId}/start: split the control's URL."""

from funnel_core.builder import ab_tests
from funnel_core.builder.models.ab_tests import AbTest
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import AbTestId, FunnelId, GroupId

app = create_app(BUILDER)


@app.post(
    "/groups/<groupId>/funnels/<funnelId>/ab-tests/<testId>/start",
    summary="Start an A/B test: the control's URL serves each visitor one arm, by the split",
)
def start_ab_test(groupId: GroupId, funnelId: FunnelId, testId: AbTestId) -> AbTest:
    return ab_tests.service().start(current_caller(app), groupId, funnelId, testId)


lambda_handler = make_handler(app)
