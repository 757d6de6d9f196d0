"""GET /groups/{groupId}/funnels/{funnelId}/analytics: the funnel's traffic and conversions per
step and variant over a range of days (``docs/analytics.md``)."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.analytics import report
from funnel_core.analytics.models import FunnelAnalytics, Granularity
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FromDay, FunnelId, GroupId, ToDay

app = create_app(BUILDER)


@app.get(
    "/groups/<groupId>/funnels/<funnelId>/analytics",
    summary="Read a funnel's views, visitors, opt-ins, purchases and revenue per step and variant",
)
def funnel_analytics(
    groupId: GroupId,
    funnelId: FunnelId,
    start: FromDay = None,
    to: ToDay = None,
    granularity: Annotated[Granularity, Query(description="How the periods are cut.")] = Granularity.DAY,
) -> FunnelAnalytics:
    return report.service().funnel(current_caller(app), groupId, funnelId, start, to, granularity)


lambda_handler = make_handler(app)
