"""GET /groups/{groupId}/funnels/{funnelId}/submissions: the funnel's form submissions, newest first."""

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, FunnelId, GroupId, Limit
from funnel_core.leads import listing
from funnel_core.models.common import Id, Page
from funnel_core.ontology.models.things import SubmissionStatus, Thing

app = create_app(BUILDER)


@app.get("/groups/<groupId>/funnels/<funnelId>/submissions", summary="List a funnel's form submissions, newest first")
def list_submissions(
    groupId: GroupId,
    funnelId: FunnelId,
    status: Annotated[SubmissionStatus | None, Query()] = None,
    stepId: Annotated[Id | None, Query()] = None,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Thing]:
    selection = listing.submission_filter(status.value if status else None, stepId, since, until)
    return listing.service().list(current_caller(app), groupId, funnelId, selection, limit, cursor)


lambda_handler = make_handler(app)
