"""POST /groups/{groupId}/funnels/{funnelId}/ab-tests/{testId}/stop: end a test, no winner."""

from funnel_core.builder import ab_tests
from funnel_core.builder.models.ab_tests import AbTest
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import AbTestId, FunnelId, GroupId

app = create_app(BUILDER)


@app.post(
    "/groups/<groupId>/funnels/<funnelId>/ab-tests/<testId>/stop",
    summary="Stop an A/B test without a winner: the control serves everyone again",
)
def stop_ab_test(groupId: GroupId, funnelId: FunnelId, testId: AbTestId) -> AbTest:
    return ab_tests.service().stop(current_caller(app), groupId, funnelId, testId)


lambda_handler = make_handler(app)
