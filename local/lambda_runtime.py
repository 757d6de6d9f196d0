"""Handler modules run the way Lambda runs them: one process per container, one event at a time.

Each function gets its own containers, and a container is a process of its own that imports the
handler module once (as ``lambda_<LogicalId>_<n>``) and then handles one invocation at a time,
as a Lambda execution environment does. When all of a function's containers are busy, a new one
cold-starts, the way Lambda scales out. Being processes, containers share nothing: module state,
``os.environ`` and the libraries' class-level state (Powertools keeps the current event on a
class, which concurrent containers in one process would overwrite for each other) are each
container's own. Containers fork from a server that has the heavy libraries imported already, so a
cold start costs about the handler's own import.

Events go in and results come out as JSON, as with the real runtime, so a handler that returns
something Lambda cannot serialise fails here too. Idle containers are stopped after a while, as
Lambda reaps them.
"""

from __future__ import annotations

import contextlib
import decimal
import hashlib
import importlib.util
import itertools
import json
import logging
import multiprocessing
import os
import shlex
import signal
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from local import REPO_ROOT

if TYPE_CHECKING:
    from collections.abc import Mapping
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from types import ModuleType

    from local.template import FunctionSpec

log = logging.getLogger(__name__)

LOCAL_ACCOUNT_ID = "123456789012"
# What every container imports anyway; the fork server imports it once for all of them, with
# the modules of the functions' layers (see ``_layer_modules``).
_LIBRARIES = [
    "boto3",
    "botocore.session",
    "pydantic",
    "aws_lambda_powertools.event_handler",
    "aws_lambda_powertools.logging",
    "aws_lambda_powertools.metrics",
    "aws_lambda_powertools.tracing",
    "aws_lambda_powertools.utilities.idempotency",
]
_IDLE_SECONDS = 60.0
_MAX_IDLE = 2
_STOP_SECONDS = 2.0
# Everything below that changes process-wide state (sys.path, multiprocessing's fork server and
# the interpreter it runs) does it under this lock, once; nothing here ever writes os.environ.
_process_lock = threading.Lock()
LAUNCHER_DIR = REPO_ROOT / ".local" / "runtime"


def _layer_modules(spec: FunctionSpec) -> list[str]:
    """Every module of the function's layers (its python paths but its own code), by name."""
    names = []
    for root in spec.python_paths:
        if root == spec.code_uri:
            continue
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts and all(part.isidentifier() for part in parts):
                names.append(".".join(parts))
    return names


def _launcher(paths: list[str]) -> Path:
    """A script that runs this interpreter with ``paths`` on PYTHONPATH.

    Python 3.11's fork server ignores the parent's sys.path, so it would not find this package or
    the layers it preloads. It is started through this launcher instead of with PYTHONPATH set in
    os.environ, which other threads read (and copy into containers) at the same moment."""
    search_path = os.pathsep.join(paths)
    digest = hashlib.sha256(f"{sys.executable}\0{search_path}".encode()).hexdigest()[:16]
    launcher = LAUNCHER_DIR / f"python-{digest}"
    if not launcher.exists():
        LAUNCHER_DIR.mkdir(parents=True, exist_ok=True)
        script = f'#!/bin/sh\nPYTHONPATH={shlex.quote(search_path)} exec {shlex.quote(sys.executable)} "$@"\n'
        staged = launcher.with_suffix(f".{os.getpid()}.{threading.get_ident()}")
        staged.write_text(script)
        staged.chmod(0o755)
        staged.replace(launcher)  # atomic, so a concurrent reader never runs half a script
    return launcher


def _process_context(spec: FunctionSpec) -> ForkServerContext:
    """The fork server containers start from. It starts with the first container, having
    imported the libraries and that function's layers, so a cold start costs little more than
    the handler module. (Layers are imported in that moment's environment: nothing in a layer may
    read settings at import time, which is what makes it safe on Lambda to read them per
    container.)"""
    context = multiprocessing.get_context("forkserver")
    with _process_lock:
        _prepend_to_sys_path(spec.python_paths)
        if not _fork_server_started():
            context.set_forkserver_preload([__name__, *_LIBRARIES, *_layer_modules(spec)])
            layers = [str(path) for path in spec.python_paths if path != spec.code_uri]
            context.set_executable(str(_launcher([str(REPO_ROOT), *layers])))
        forkserver.ensure_running()
    return context


def _fork_server_started() -> bool:
    return forkserver._forkserver._forkserver_pid is not None  # type: ignore[attr-defined]


class LambdaError(Exception):
    """A handler raised, or its container died: Lambda reports it as a function error."""


class LambdaTimeout(LambdaError):
    """The handler ran past the function's ``Timeout``: Lambda stops it (API Gateway answers 503)."""


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
    for path in reversed(paths):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def _import_handler(spec: FunctionSpec, name: str) -> tuple[ModuleType, Any]:
    """The handler module imported under ``name``, and its handler function."""
    with _process_lock:
        _prepend_to_sys_path(spec.python_paths)
    module_spec = importlib.util.spec_from_file_location(name, spec.module_file)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"Runtime.ImportModuleError: cannot load {spec.module_file}")
    module = importlib.util.module_from_spec(module_spec)
    # Registered before it runs, as a normal import would, so pydantic and dataclasses can find
    # the module of the classes it defines.
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    handler = getattr(module, spec.handler_name, None)
    if not callable(handler):
        raise ImportError(f"Runtime.HandlerNotFound: {spec.handler} is not a function")
    return module, handler


@dataclass(frozen=True)
class _Invocation:
    event: str
    region: str
    account_id: str


def _serve(connection: Connection, spec: FunctionSpec, name: str, environment: dict[str, str]) -> None:
    """A container's life: import the handler, then answer one invocation at a time until told
    to stop or until the runtime that started it goes away."""
    # Ctrl-C in a terminal reaches the whole process group; the runtime stops its containers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.clear()
    os.environ.update(environment)
    try:
        _, handler = _import_handler(spec, name)
    except BaseException:
        connection.send(("failed", traceback.format_exc()))
        return
    connection.send(("ready", None))
    while True:
        try:
            invocation: _Invocation | None = connection.recv()
        except (EOFError, OSError):
            return
        if invocation is None:
            return
        context = LambdaContext(spec, region=invocation.region, account_id=invocation.account_id)
        try:
            result = handler(json.loads(invocation.event), context)
            answer = ("ok", json.dumps(result, default=_lambda_json_default))
        except BaseException:
            answer = ("error", traceback.format_exc())
        connection.send(answer)


@dataclass
class _Container:
    name: str
    process: BaseProcess
    connection: Connection
    idle_since: float = field(default_factory=time.monotonic)

    def invoke(self, invocation: _Invocation, timeout: float) -> tuple[str, Any]:
        self.connection.send(invocation)
        if not self.connection.poll(timeout):
            # As Lambda does: the run is stopped, and its environment with it.
            self.process.kill()
            self.process.join(_STOP_SECONDS)
            return "timeout", f"Task timed out after {timeout:.2f} seconds"
        try:
            answer: tuple[str, Any] = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(_STOP_SECONDS)
            return "died", f"Runtime.ExitError: the container exited with code {self.process.exitcode}"
        return answer

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(_STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


class LambdaFunction:
    """A function's pool of warm containers; ``invoke`` is safe to call from many threads."""

    def __init__(
        self,
        spec: FunctionSpec,
        *,
        region: str = "us-east-1",
        account_id: str = LOCAL_ACCOUNT_ID,
        environment: Mapping[str, str] | None = None,
    ):
        """``environment`` is what every container of the function starts with: by default the
        process's environment as it is now, copied once, so a container never sees another
        thread's change to os.environ in the middle of it."""
        self.spec = spec
        self.region = region
        self.account_id = account_id
        self.environment = dict(os.environ if environment is None else environment)
        self._idle: list[_Container] = []
        self._busy: set[str] = set()
        self._lock = threading.Lock()
        self._serial = itertools.count(1)
        self._module: ModuleType | None = None
        self._closed = False

    def invoke(self, event: Any) -> Any:
        """Run the handler on ``event``; a handler's exception is raised as LambdaError."""
        container = self._acquire()
        invocation = _Invocation(
            json.dumps(event, default=_lambda_json_default), region=self.region, account_id=self.account_id
        )
        outcome, payload = container.invoke(invocation, self.spec.timeout)
        if outcome == "timeout":
            self._discard(container)
            log.warning("%s: %s", self.spec.logical_id, payload)
            raise LambdaTimeout(f"{self.spec.logical_id}: {payload}")
        if outcome == "died":
            self._discard(container)
            raise LambdaError(payload)
        self._release(container)
        if outcome == "error":
            raise LambdaError(f"{self.spec.logical_id} failed:\n{payload}")
        return json.loads(payload)

    def module(self) -> ModuleType:
        """The handler module imported into this process, for reading what it declares (its
        OpenAPI schema); invocations never run here."""
        with self._lock:
            if self._module is None:
                self._module, _ = _import_handler(self.spec, f"lambda_{self.spec.logical_id}_schema")
            return self._module

    @property
    def containers(self) -> int:
        """How many containers are up, idle or busy."""
        with self._lock:
            return len(self._idle) + len(self._busy)

    def close(self) -> None:
        """Stop every idle container; busy ones are stopped as they finish."""
        with self._lock:
            idle, self._idle = self._idle, []
            self._closed = True
        for container in idle:
            container.stop()

    def _acquire(self) -> _Container:
        with self._lock:
            if self._idle:
                container = self._idle.pop()
                self._busy.add(container.name)
                return container
            name = f"lambda_{self.spec.logical_id}_{next(self._serial)}"
            self._busy.add(name)
        try:
            return self._cold_start(name)
        except BaseException:
            with self._lock:
                self._busy.discard(name)
            raise

    def _release(self, container: _Container) -> None:
        """Back to the idle pool, which Lambda-like reaping keeps small: the most recently used
        container stays warm; the others go once idle for a while, or at once past a few."""
        now = container.idle_since = time.monotonic()
        with self._lock:
            self._busy.discard(container.name)
            if self._closed:
                reaped = [container]
            else:
                self._idle.append(container)
                reaped = [c for c in self._idle[:-1] if now - c.idle_since > _IDLE_SECONDS]
                reaped += [c for c in self._idle[:-_MAX_IDLE] if c not in reaped]
                self._idle = [c for c in self._idle if c not in reaped]
        for idle in reaped:
            idle.stop()

    def _discard(self, container: _Container) -> None:
        with self._lock:
            self._busy.discard(container.name)
        container.stop()

    def _cold_start(self, name: str) -> _Container:
        context = _process_context(self.spec)
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self.spec, name, self.environment), name=name, daemon=True
        )
        process.start()
        child.close()
        try:
            status, detail = parent.recv()
        except EOFError:
            process.join(_STOP_SECONDS)
            parent.close()
            raise ImportError(f"Runtime.ExitError: {name} exited during its cold start") from None
        if status != "ready":
            process.join(_STOP_SECONDS)
            parent.close()
            raise ImportError(f"Runtime.ImportModuleError: {self.spec.module_file}\n{detail}")
        log.debug("cold start of %s as %s (pid %s)", self.spec.logical_id, name, process.pid)
        return _Container(name=name, process=process, connection=parent)
