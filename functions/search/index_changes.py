"""DynamoDB stream -> the search index: knowledge, things, funnels, steps, elements and group
templates chunked, embedded and written (``funnel_core.search.indexer``); an archive or a delete
removes them. A failed record is retried alone (partial batch response), then sent to the DLQ."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from funnel_core import container
from funnel_core.observability import logger, metrics, traced
from funnel_core.search.indexer import index_record

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@logger.inject_lambda_context
@traced
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    container.started()
    return process_partial_response(event=event, record_handler=index_record, processor=processor, context=context)
