"""GET /groups/{groupId}/funnels/{funnelId}/analytics/chart.svg: the funnel drawn as bars per step,
with the same range and figures as the analytics report."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.analytics import report
from funnel_core.analytics.chart import funnel_chart
from funnel_core.analytics.models import Granularity
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FromDay, FunnelId, GroupId, ToDay

app = create_app(BUILDER)
SVG = "image/svg+xml"


@app.get(
    "/groups/<groupId>/funnels/<funnelId>/analytics/chart.svg",
    summary="Draw the funnel: unique visitors per step and the conversion between steps (SVG)",
    responses={200: {"description": "The chart", "content": {SVG: {"schema": {"type": "string"}}}}},
)
def funnel_chart_svg(
    groupId: GroupId,
    funnelId: FunnelId,
    start: FromDay = None,
    to: ToDay = None,
) -> Response[str]:
    found = report.service().funnel(current_caller(app), groupId, funnelId, start, to, Granularity.DAY)
    return Response(
        status_code=200,
        content_type=SVG,
        body=funnel_chart(found),
        headers={
            "Cache-Control": "private, max-age=60",
            "X-Content-Type-Options": "nosniff",
            # Step names are escaped, and the chart has no script or style: nothing else may run.
            "Content-Security-Policy": "default-src 'none'",
        },
    )


lambda_handler = make_handler(app)
