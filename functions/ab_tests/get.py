"""GET /groups/{groupId}/funnels/{funnelId}/ab-tests/{testId}: a test with its live results."""

from funnel_core.analytics import experiments
from funnel_core.analytics.models import AbTestWithResults
from funnel_core.builder import ab_tests
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import AbTestId, FunnelId, GroupId

app = create_app(BUILDER)


@app.get(
    "/groups/<groupId>/funnels/<funnelId>/ab-tests/<testId>",
    summary="An A/B test with its live results: per arm, the z-test, the sample-ratio check, the sequential winner",
)
def get_ab_test(groupId: GroupId, funnelId: FunnelId, testId: AbTestId) -> AbTestWithResults:
    test = ab_tests.service().get(current_caller(app), groupId, funnelId, testId)
    return AbTestWithResults(**test.model_dump(), results=experiments.service().results(test))


lambda_handler = make_handler(app)
