"""Invoked by hand (``make search-backfill``): index again what the table holds, for one group
(``{"groupId": "grp_..."}``), or everything with the system templates (``{}``); ``"recreate":
true`` drops the index first, after a change of the embedding model or its dimension."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict

from funnel_core import container
from funnel_core.models.common import Id
from funnel_core.observability import logger, metrics, traced
from funnel_core.search import backfill


class BackfillRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    groupId: Id | None = None
    recreate: bool = False


@logger.inject_lambda_context
@traced
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    container.started()
    request = BackfillRequest.model_validate(event or {})
    jobs = backfill.service()
    report = jobs.group(request.groupId) if request.groupId else jobs.everything(recreate=request.recreate)
    metrics.add_metric(name="SourcesReindexed", unit="Count", value=report.changed)
    return {"sources": report.sources, "changed": report.changed}
