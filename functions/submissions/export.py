"""GET /groups/{groupId}/funnels/{funnelId}/submissions/export: the submissions as CSV, for owners.

Answered 303 to a presigned URL of the CSV (valid 15 minutes), so an export of any size fits
Lambda's 6 MB answer; the body says the same in JSON for clients that do not follow redirects."""

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel

from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId
from funnel_core.leads import export, listing
from funnel_core.models.common import Id
from funnel_core.ontology.models.things import SubmissionStatus

app = create_app(BUILDER)


class SubmissionExport(BaseModel):
    downloadUrl: str
    rows: int
    bytes: int
    expiresAt: str


@app.get(
    "/groups/<groupId>/funnels/<funnelId>/submissions/export",
    summary="Export a funnel's submissions as CSV (owners)",
    responses={303: {"description": "The CSV, at a presigned URL valid for 15 minutes"}},
)
def export_submissions(
    groupId: GroupId,
    funnelId: FunnelId,
    status: Annotated[SubmissionStatus | None, Query()] = None,
    stepId: Annotated[Id | None, Query()] = None,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
) -> Response[SubmissionExport]:
    selection = listing.submission_filter(status.value if status else None, stepId, since, until)
    made = export.service().export(current_caller(app), groupId, funnelId, selection)
    body = SubmissionExport(downloadUrl=made.url, rows=made.rows, bytes=made.bytes, expiresAt=made.expiresAt)
    return Response(303, content_types.APPLICATION_JSON, body, {"Location": made.url, "Cache-Control": "no-store"})


lambda_handler = make_handler(app)
