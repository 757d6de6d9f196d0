"""POST /groups/{groupId}/funnels/{funnelId}/ab-tests/{testId}/winner: end a test with its winner."""

from funnel_core.analytics import experiments
from funnel_core.builder import ab_tests
from funnel_core.builder.models.ab_tests import AbTest, AbTestWinner
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import AbTestId, FunnelId, GroupId

app = create_app(BUILDER)


@app.post(
    "/groups/<groupId>/funnels/<funnelId>/ab-tests/<testId>/winner",
    summary="Choose an A/B test's winner and end it: a variant then serves everyone at the control's URL",
)
def choose_ab_test_winner(groupId: GroupId, funnelId: FunnelId, testId: AbTestId, body: AbTestWinner) -> AbTest:
    return ab_tests.service().choose_winner(
        current_caller(app), groupId, funnelId, testId, body, veto=experiments.service().veto
    )


lambda_handler = make_handler(app)
