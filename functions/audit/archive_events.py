"""DynamoDB stream -> the analytics counters and the S3 audit archive: each visitor event (a view,
an opt-in, a purchase) added to its funnel's counters and the A/B tests it exposes or converts,
then the batch's events archived as gzip NDJSON objects.

One consumer for both: a DynamoDB stream serves at most two readers per shard without
throttling, and the page projection is the other. The event source mapping's filter passes only
INSERTs of event items. Each record is counted by Powertools' BatchProcessor; the records before
the first that failed are archived, and every record from that one on is reported failed
(partial batch response), so Lambda brings them all back and nothing is archived twice
(``funnel_core.audit.archive``); counting one again counts nothing
(``funnel_core.analytics.counters``, ``funnel_core.analytics.experiments``). A write to S3 that
fails past the client's retries fails the batch, which Lambda retries whole (bisected), and the
archive's keys make that safe too.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from funnel_core import container
from funnel_core.analytics import counters, experiments
from funnel_core.audit.archive import archive
from funnel_core.observability import logger, metrics, traced

# Every record is reported, failed or not, so a batch that fails whole is an answer, not an error.
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)


def count(record: DynamoDBRecord) -> bool:
    """Count the record's event, for its funnel and for the A/B tests it exposes or converts."""
    event = counters.visitor_event(record)
    if event is None:
        return False
    counters.service().count(event)
    experiments.service().count(event)
    return True


@logger.inject_lambda_context
@traced
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    container.started()
    records = event.get("Records") or []
    with processor(records=records, handler=count, lambda_context=context):
        outcomes = processor.process()  # in the records' order
    first_failed = next((n for n, (status, _, _) in enumerate(outcomes) if status == "fail"), len(outcomes))
    keys = archive([DynamoDBRecord(record) for record in records[:first_failed]])
    logger.info(
        "archived", extra={"records": first_failed, "objects": len(keys), "retried": len(records) - first_failed}
    )
    return {
        "batchItemFailures": [
            {"itemIdentifier": record["dynamodb"]["SequenceNumber"]} for record in records[first_failed:]
        ]
    }
