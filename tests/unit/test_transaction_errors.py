"""What a refused transaction is answered with, for the refusals a local DynamoDB rarely makes:
a transaction that collided with another one is a lost race, retried like one."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from funnel_core.builder.aggregate import retry_races
from funnel_core.errors import StructureConflict
from funnel_core.store.client import dynamodb
from funnel_core.store.transaction import Transaction


def _cancelled(stubber: Stubber, *reasons: str) -> None:
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        service_message="Transaction cancelled",
        http_status_code=400,
        modeled_fields={"CancellationReasons": [{"Code": reason} for reason in reasons]},
    )


def _transaction() -> Transaction:
    transaction = Transaction("funnel-builder-unit")
    transaction.put({"PK": "A", "SK": "B"})
    transaction.put({"PK": "A", "SK": "C"})
    return transaction


def test_a_transaction_that_collided_with_another_is_a_concurrent_change():
    with Stubber(dynamodb()) as stubber:
        _cancelled(stubber, "None", "TransactionConflict")
        with pytest.raises(StructureConflict) as refused:
            _transaction().commit()
    assert refused.value.status == 409
    assert refused.value.code == "concurrent_change"


def test_a_structural_change_that_collided_is_tried_again():
    attempts = []

    def change():
        attempts.append(1)
        _transaction().commit()
        return len(attempts)

    with Stubber(dynamodb()) as stubber:
        _cancelled(stubber, "TransactionConflict", "None")
        stubber.add_response("transact_write_items", {})
        assert retry_races(change) == 2


_EMPTY_VALUE = "One or more parameter values were invalid: An AttributeValue may not contain an empty string"
_LONG_KEY = "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit"
_BIG_ITEM = "Item size has exceeded the maximum allowed size"


def _refused(stubber: Stubber, operation: str, message: str) -> None:
    stubber.add_client_error(
        operation, service_error_code="ValidationException", service_message=message, http_status_code=400
    )


def test_a_value_dynamodb_refuses_is_the_clients_4xx_never_a_500():
    from funnel_core.errors import BadRequest, PayloadTooLarge
    from funnel_core.store.table import Table

    with Stubber(dynamodb()) as stubber:
        _refused(stubber, "transact_write_items", _EMPTY_VALUE)
        _refused(stubber, "get_item", _LONG_KEY)
        _refused(stubber, "transact_write_items", _BIG_ITEM)
        with pytest.raises(BadRequest, match="cannot be stored"):
            _transaction().commit()
        with pytest.raises(BadRequest, match="Size of hashkey"):
            Table("funnel-builder-unit").get({"PK": "A" * 3000, "SK": "B"})
        with pytest.raises(PayloadTooLarge, match="400 KB"):
            _transaction().commit()


def test_a_throttled_request_is_a_503_to_retry_never_a_500():
    """What DynamoDB answers once the SDK's retries are spent on a partition at its throughput
    (a viral funnel's form posts): Busy, with a Retry-After, and nothing was written."""
    from funnel_core.errors import Busy
    from funnel_core.store.table import Table

    with Stubber(dynamodb()) as stubber:
        _cancelled(stubber, "None", "ThrottlingError")
        stubber.add_client_error("transact_write_items", service_error_code="ThrottlingException", http_status_code=400)
        stubber.add_client_error(
            "get_item", service_error_code="ProvisionedThroughputExceededException", http_status_code=400
        )
        for _ in range(2):
            with pytest.raises(Busy) as refused:
                _transaction().commit()
            assert (refused.value.status, refused.value.retry_after) == (503, 1)
        with pytest.raises(Busy):
            Table("funnel-builder-unit").get({"PK": "A", "SK": "B"})
