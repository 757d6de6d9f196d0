"""Handler modules run the way Lambda runs them: one import per container, one event at a time.

Each function gets its own containers. A container is the handler module imported under a
name of its own (``lambda_<LogicalId>_<n>``), so module-level state (the Powertools resolver,
its ``current_event``, cached clients) belongs to one function and is never shared with
another, exactly as on AWS. A container handles one invocation at a time; when all of a
function's containers are busy, a new one cold-starts, the way Lambda scales out. What is
*not* isolated: the shared layer's modules and ``os.environ``, which are per process here.

Events go in and results come out through JSON, as with the real runtime, so a handler that
returns something Lambda cannot serialise fails here too.
"""

from __future__ import annotations

import decimal
import importlib.util
import itertools
import json
import logging
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from types import ModuleType

    from local.template import FunctionSpec

log = logging.getLogger(__name__)

LOCAL_ACCOUNT_ID = "123456789012"
_sys_path_lock = threading.Lock()


class LambdaContext:
    """The context object the Python runtime passes as the handler's second argument."""

    def __init__(self, spec: FunctionSpec, *, region: str, account_id: str = LOCAL_ACCOUNT_ID):
        self.function_name = spec.logical_id
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:{account_id}:function:{spec.logical_id}"
        self.memory_limit_in_mb = spec.memory_size
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{spec.logical_id}"
        self.log_stream_name = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline = time.monotonic() + spec.timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _lambda_json_default(value: Any) -> Any:
    """The one type Lambda's own marshaller adds to JSON: Decimal, written as a number."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Runtime.MarshalError: {type(value).__name__} is not JSON serializable")


def through_json(value: Any) -> Any:
    """``value`` as it arrives on the other side of Lambda's JSON wire."""
    return json.loads(json.dumps(value, default=_lambda_json_default))


def _prepend_to_sys_path(paths: tuple[Path, ...]) -> None:
    with _sys_path_lock:
        for path in reversed(paths):
            if str(path) not in sys.path:
                sys.path.insert(0, str(path))


@dataclass(frozen=True)
class _Container:
    module: ModuleType
    handler: Callable[[Any, LambdaContext], Any]


class LambdaFunction:
    """A function's pool of warm containers; ``invoke`` is safe to call from many threads."""

    def __init__(self, spec: FunctionSpec, *, region: str = "us-east-1", account_id: str = LOCAL_ACCOUNT_ID):
        self.spec = spec
        self.region = region
        self.account_id = account_id
        self._idle: list[_Container] = []
        self._lock = threading.Lock()
        self._serial = itertools.count(1)

    def invoke(self, event: Any) -> Any:
        """Run the handler on ``event``; its exceptions propagate, as Lambda reports them as errors."""
        container = self._acquire()
        try:
            context = LambdaContext(self.spec, region=self.region, account_id=self.account_id)
            started = time.monotonic()
            result = container.handler(through_json(event), context)
            self._warn_if_over_timeout(time.monotonic() - started)
            return through_json(result)
        finally:
            self._release(container)

    def module(self) -> ModuleType:
        """The handler module of a warm container (cold-starting one if none is idle)."""
        container = self._acquire()
        self._release(container)
        return container.module

    def loaded_modules(self) -> list[ModuleType]:
        """The modules of the containers idle right now; tests read what a fake handler recorded."""
        with self._lock:
            return [container.module for container in self._idle]

    def _acquire(self) -> _Container:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._cold_start()

    def _release(self, container: _Container) -> None:
        with self._lock:
            self._idle.append(container)

    def _cold_start(self) -> _Container:
        _prepend_to_sys_path(self.spec.python_paths)
        name = f"lambda_{self.spec.logical_id}_{next(self._serial)}"
        module_spec = importlib.util.spec_from_file_location(name, self.spec.module_file)
        if module_spec is None or module_spec.loader is None:
            raise ImportError(f"Runtime.ImportModuleError: cannot load {self.spec.module_file}")
        module = importlib.util.module_from_spec(module_spec)
        # Registered before it runs, as a normal import would, so pydantic and dataclasses
        # can find the module of the classes it defines.
        sys.modules[name] = module
        try:
            module_spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        handler = getattr(module, self.spec.handler_name, None)
        if not callable(handler):
            raise ImportError(f"Runtime.HandlerNotFound: {self.spec.handler} is not a function")
        log.debug("cold start of %s as %s", self.spec.logical_id, name)
        return _Container(module=module, handler=handler)

    def _warn_if_over_timeout(self, seconds: float) -> None:
        if seconds > self.spec.timeout:
            log.warning(
                "%s ran %.1fs, longer than its %ss timeout: Lambda would have stopped it",
                self.spec.logical_id,
                seconds,
                self.spec.timeout,
            )
