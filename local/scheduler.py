"""EventBridge schedules, locally: each ``Type: Schedule`` event of the template invokes its
function on the same ``rate(...)`` the template gives AWS, with the event EventBridge sends.

A thread per schedule; the first run comes one period after the start, as on AWS. ``make dev``
starts it; ``every`` shortens the period for the tests. ``cron(...)`` schedules are refused (the
local stand-in has no cron engine).
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

from local.lambda_runtime import LambdaError, LambdaFunction
from local.lifecycle import Service
from local.template import TEMPLATE_PATH, ScheduledFunction, rate_seconds, scheduled_functions

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

log = logging.getLogger(__name__)
LOCAL_ACCOUNT = "123456789012"


def scheduled_event(schedule: ScheduledFunction, *, region: str, at: datetime | None = None) -> dict[str, Any]:
    """What EventBridge hands a function on its schedule."""
    moment = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": LOCAL_ACCOUNT,
        "time": moment,
        "region": region,
        "resources": [f"arn:aws:events:{region}:{LOCAL_ACCOUNT}:rule/{schedule.logical_id}"],
        "detail": {},
    }


class Scheduler(Service):
    """Every schedule of the template as a background thread; a context manager."""

    def __init__(
        self, schedules: Sequence[ScheduledFunction], *, region: str = "us-east-1", every: float | None = None
    ):
        self._stop = threading.Event()
        self.region = region
        self.runs: dict[str, int] = {schedule.logical_id: 0 for schedule in schedules}
        self._jobs = [
            (schedule, LambdaFunction(schedule.function, region=region), every or rate_seconds(schedule.expression))
            for schedule in schedules
        ]
        self._threads = [
            threading.Thread(target=self._loop, args=job, name=f"schedule-{job[0].logical_id}", daemon=True)
            for job in self._jobs
        ]

    @classmethod
    def from_template(cls, *, template_path: Path = TEMPLATE_PATH, **options: Any) -> Scheduler:
        return cls(scheduled_functions(template_path=template_path), **options)

    def _loop(self, schedule: ScheduledFunction, function: LambdaFunction, period: float) -> None:
        while not self._stop.wait(period):
            try:
                function.invoke(scheduled_event(schedule, region=self.region))
            except LambdaError as error:  # as on AWS: this run failed, the next one comes anyway
                log.warning("%s failed: %s", schedule.logical_id, error)
            self.runs[schedule.logical_id] += 1

    def start(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop scheduling; a run in progress finishes first."""
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join()
        for _, function, _ in self._jobs:
            function.close()
