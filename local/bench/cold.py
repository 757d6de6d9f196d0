"""Cold starts: every handler imported and invoked once in a fresh interpreter, against a
boto3-only baseline, and where the import time goes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local import REPO_ROOT
from local.bench.warm import median_ms
from local.bench.world import handler_module, require_success
from local.stack import LocalStack
from local.template import Route

_SUBPROCESS_TIMEOUT_SECONDS = 120
_RESULT_MARKER = "BENCH-RESULT "
BASELINE = "baseline"
LIBRARIES = "libraries"
LIBRARIES_LABEL = "the libraries alone: pydantic, Powertools' resolver with validation, Logger, Metrics"
# What Lambda sets in every function's environment, so the libraries see a Lambda container.
LAMBDA_ENVIRONMENT = {
    "AWS_LAMBDA_FUNCTION_NAME": "bench",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
    "LAMBDA_TASK_ROOT": str(REPO_ROOT / "functions"),
}
# A trace header as Lambda passes it with Tracing: Active, for the run with tracing on.
TRACE_ID = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

# Runs in the fresh interpreter. The event is read before the clock starts. "ready" is the
# handler module imported and the DynamoDB client made, what the baseline does and all it does;
# the first invocation is timed on its own.
_COLD_RUNNER = f"""
import json, sys, time

class Context:
    function_name = "bench"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return 10_000

event = json.loads(sys.stdin.read())
started = time.perf_counter()
if sys.argv[1] in ({BASELINE!r}, {LIBRARIES!r}):
    if sys.argv[1] == {LIBRARIES!r}:  # with the collector as funnel_core sets it for a cold start
        import gc
        gc.set_threshold(100_000, 50, 100)
    import boto3
    boto3.client("dynamodb")
    if sys.argv[1] == {LIBRARIES!r}:
        import pydantic
        from aws_lambda_powertools import Logger, Metrics
        from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
        from aws_lambda_powertools.event_handler.middlewares import openapi_validation
        from aws_lambda_powertools.event_handler.openapi import params
        APIGatewayHttpResolver(enable_validation=True)
        Logger(), Metrics()
    ready = time.perf_counter()
    status, invoked = 200, ready
else:
    import importlib
    handler = importlib.import_module(sys.argv[1]).lambda_handler
    from funnel_core.store.client import dynamodb
    dynamodb()
    ready = time.perf_counter()
    status = handler(event, Context())["statusCode"]
    invoked = time.perf_counter()
print({_RESULT_MARKER!r} + json.dumps({{"status": status, "ready": ready - started, "invoke": invoked - ready}}))
"""
_IMPORTTIME_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| *(\S+)$")


def cold_start_routes(routes: list[Route]) -> list[Route]:
    """One route per resource: the first of each functions/ folder in template.yaml's order."""
    first: dict[str, Route] = {}
    for route in routes:
        first.setdefault(handler_module(route).split(".")[0], route)
    return list(first.values())


@dataclass(frozen=True)
class ColdRun:
    ready: float  # seconds: the handler module imported and its DynamoDB client made
    invoke: float  # seconds: its first invocation


@dataclass(frozen=True)
class ColdResult:
    label: str
    handler: str
    ready_ms: float
    invoke_ms: float
    baseline_ms: float  # the median of the baseline runs made in turn with this handler's

    @property
    def ratio(self) -> float:
        return self.ready_ms / self.baseline_ms


def subprocess_environment(stack: LocalStack, python_paths: tuple[Path, ...]) -> dict[str, str]:
    """What Lambda would give the function: the stack's settings and the code and layer paths."""
    settings = {name: value for name, value in stack.environment().items() if value is not None}
    return {**settings, **LAMBDA_ENVIRONMENT, "PYTHONPATH": os.pathsep.join(str(path) for path in python_paths)}


def _fresh_interpreter(
    arguments: list[str], environment: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    # -s: no user site-packages; -P: not the working directory on sys.path. Not -I, which would
    # also ignore PYTHONPATH, the stand-in for Lambda's code and layer folders.
    return subprocess.run(
        [sys.executable, "-s", "-P", *arguments],
        input=stdin,
        env=environment,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=_SUBPROCESS_TIMEOUT_SECONDS,
        check=True,
    )


def cold_run(module: str, event: dict[str, Any], environment: dict[str, str]) -> ColdRun:
    """One fresh interpreter: ``module`` made ready, and its first invocation."""
    finished = _fresh_interpreter(["-c", _COLD_RUNNER, module], environment, json.dumps(event))
    line = next(line for line in reversed(finished.stdout.splitlines()) if line.startswith(_RESULT_MARKER))
    result = json.loads(line.removeprefix(_RESULT_MARKER))
    require_success(f"{module} (cold)", result["status"], finished.stderr[-2000:])
    return ColdRun(result["ready"], result["invoke"])


def measure_cold(
    label: str, module: str, make_event: Callable[[], dict[str, Any]], environment: dict[str, str], runs: int
) -> ColdResult:
    """``runs`` cold starts of ``module``, each next to a baseline run, so load that drifts
    during the bench weighs on both alike."""
    handler_runs, baseline_runs = [], []
    for _ in range(runs):
        baseline_runs.append(cold_run(BASELINE, {}, environment))
        handler_runs.append(cold_run(module, make_event(), environment))
    return ColdResult(
        label=label,
        handler=module,
        ready_ms=median_ms([run.ready for run in handler_runs]),
        invoke_ms=median_ms([run.invoke for run in handler_runs]),
        baseline_ms=median_ms([run.ready for run in baseline_runs]),
    )


def traced_environment(environment: dict[str, str]) -> dict[str, str]:
    """``environment`` with tracing on, as Lambda runs a function with ``Tracing: Active``."""
    traced = {**environment, "_X_AMZN_TRACE_ID": TRACE_ID, "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR"}
    traced.pop("POWERTOOLS_TRACE_DISABLED", None)
    return traced


@dataclass(frozen=True)
class ImportTime:
    module: str
    self_ms: float
    cumulative_ms: float


def measure_imports(module: str, environment: dict[str, str]) -> list[ImportTime]:
    """``python -X importtime -c 'import <module>'``, every module it imported."""
    stderr = _fresh_interpreter(["-X", "importtime", "-c", f"import {module}"], environment).stderr
    found = []
    for line in stderr.splitlines():
        if matched := _IMPORTTIME_LINE.match(line):
            self_us, cumulative_us, name = matched.groups()
            found.append(ImportTime(name, int(self_us) / 1000, int(cumulative_us) / 1000))
    return found


def self_time_by_package(imports: list[ImportTime]) -> list[tuple[str, float]]:
    """Self times summed per top-level package, largest first: unlike cumulative times, they add up."""
    totals: dict[str, float] = {}
    for entry in imports:
        package = entry.module.split(".")[0]
        totals[package] = totals.get(package, 0.0) + entry.self_ms
    return sorted(totals.items(), key=lambda item: item[1], reverse=True)
