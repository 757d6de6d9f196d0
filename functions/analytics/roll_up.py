"""EventBridge schedule -> the analytics roll-up: the recent days' funnel_analytics things of every
funnel that had traffic (``funnel_core.analytics.rollup``). ``make dev`` runs it on the same
schedule expression (``local/scheduler.py``)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from funnel_core import container
from funnel_core.analytics import rollup
from funnel_core.observability import logger, metrics, traced


@logger.inject_lambda_context
@traced
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    container.started()
    result = rollup.service().run()
    metrics.add_metric(name="FunnelsRolledUp", unit="Count", value=result.funnels)
    return {"funnels": result.funnels, "written": result.written, "unchanged": result.unchanged}
