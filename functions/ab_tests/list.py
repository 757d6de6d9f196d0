"""GET /groups/{groupId}/funnels/{funnelId}/ab-tests: the funnel's A/B tests, oldest first."""

from funnel_core.builder import ab_tests
from funnel_core.builder.models.ab_tests import AbTest
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId
from funnel_core.models.common import Page

app = create_app(BUILDER)


@app.get("/groups/<groupId>/funnels/<funnelId>/ab-tests", summary="List a funnel's A/B tests")
def list_ab_tests(groupId: GroupId, funnelId: FunnelId) -> Page[AbTest]:
    return ab_tests.service().list(current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app)
