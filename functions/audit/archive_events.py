"""DynamoDB stream -> S3 and the analytics counters: every audit event written to the table is
archived, and each visitor event (a view, an opt-in, a purchase) added to its funnel's counters.

One consumer for both: a DynamoDB stream serves at most two readers per shard without
throttling, and the page projection is the other. The event source mapping's filter passes only
INSERTs of event items; a record that fails is reported back alone (partial batch response) and
retried, the rest of the batch is kept. A retried record is archived to the same key again and
counted once (``funnel_core.analytics.counters``).
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from funnel_core import container
from funnel_core.analytics import counters
from funnel_core.audit.archive import archive_record
from funnel_core.observability import logger, metrics, traced

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def take(record: DynamoDBRecord) -> str:
    """Archive the record's event, then count it: the object key written."""
    key = archive_record(record)
    counters.service().count_record(record)
    return key


@logger.inject_lambda_context
@traced
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    container.started()
    return process_partial_response(event=event, record_handler=take, processor=processor, context=context)
