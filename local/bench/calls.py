"""Counting the DynamoDB calls a request makes, and how long they were in flight."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3

# ---------------------------------------------------------------- counting DynamoDB calls


@dataclass(frozen=True)
class DynamoDBCall:
    operation: str
    started: float  # time.perf_counter()
    ended: float

    @property
    def seconds(self) -> float:
        return self.ended - self.started


class CallRecorder:
    """Every DynamoDB call made by a client of boto3's default session created while ``installed``."""

    _STARTED = "bench_started"

    def __init__(self) -> None:
        self._calls: list[DynamoDBCall] = []

    def take(self) -> list[DynamoDBCall]:
        """The calls since the last ``take``, forgotten here."""
        calls, self._calls = self._calls, []
        return calls

    @contextmanager
    def installed(self) -> Iterator[CallRecorder]:
        if boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        events = boto3.DEFAULT_SESSION.events  # type: ignore[union-attr]
        # A client copies its session's handlers when created, so this reaches every later client.
        events.register("before-call.dynamodb", self._before)
        events.register("after-call.dynamodb", self._after)
        try:
            yield self
        finally:
            events.unregister("before-call.dynamodb", self._before)
            events.unregister("after-call.dynamodb", self._after)

    def _before(self, *, context: dict[str, Any], **_: Any) -> None:
        context[self._STARTED] = time.perf_counter()

    def _after(self, *, context: dict[str, Any], event_name: str, **_: Any) -> None:
        # Calls may come from several threads at once (a big copy stages its batches in parallel);
        # each has a context of its own, and list.append is atomic.
        ended = time.perf_counter()
        self._calls.append(DynamoDBCall(event_name.rsplit(".", 1)[-1], context.pop(self._STARTED), ended))


def most_in_flight(calls: list[DynamoDBCall]) -> int:
    """The most of ``calls`` in flight at one moment."""
    edges = sorted([(call.started, 1) for call in calls] + [(call.ended, -1) for call in calls])
    return max(itertools.accumulate(step for _, step in edges), default=0)


def in_flight_seconds(calls: list[DynamoDBCall]) -> float:
    """The time during which at least one of ``calls`` was in flight: their sum when they ran
    one after another, less when some overlapped."""
    total, reached = 0.0, float("-inf")
    for call in sorted(calls, key=lambda call: call.started):
        if call.ended > reached:
            total += call.ended - max(call.started, reached)
            reached = call.ended
    return total


def describe_calls(operations: tuple[str, ...]) -> str:
    """``("BatchGetItem", "GetItem", "GetItem")`` as ``3 (BatchGetItem, GetItem x2)``."""
    counts = Counter(operations)
    names = [name if counts[name] == 1 else f"{name} x{counts[name]}" for name in dict.fromkeys(operations)]
    return f"{len(operations)} ({', '.join(names)})" if operations else "0"
