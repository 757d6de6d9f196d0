"""DynamoDB stream -> S3: archive every audit event written to the table.

The event source mapping's filter passes only INSERTs of event items; a record that fails is
reported back alone (partial batch response) and retried, the rest of the batch is kept.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from funnel_core import container
from funnel_core.audit.archive import archive_record
from funnel_core.observability import logger, metrics, traced

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@logger.inject_lambda_context
@traced
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    container.started()
    return process_partial_response(event=event, record_handler=archive_record, processor=processor, context=context)
