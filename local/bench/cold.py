"""Cold starts: every handler imported and invoked once in a fresh interpreter, against a
boto3-only baseline, and where the import time goes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
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
BASELINE_LABEL = "baseline: `import boto3`, a DynamoDB client"

# Runs in the fresh interpreter. The event is read before the clock starts; the baseline is a
# handler that needs only boto3 and a DynamoDB client.
_COLD_RUNNER = f"""
import json, sys, time

class Context:
    function_name = "bench"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return 10_000

event = json.loads(sys.stdin.read())
started = time.perf_counter()
if sys.argv[1] == {BASELINE!r}:
    import boto3
    boto3.client("dynamodb")

    def handler(event, context):
        return {{"statusCode": 200}}
else:
    import importlib
    handler = importlib.import_module(sys.argv[1]).lambda_handler
imported = time.perf_counter()
status = handler(event, Context())["statusCode"]
invoked = time.perf_counter()
print({_RESULT_MARKER!r} + json.dumps({{"status": status, "import": imported - started, "invoke": invoked - imported}}))
"""
_IMPORTTIME_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| *(\S+)$")


# ---------------------------------------------------------------- cold start


def cold_start_routes(routes: list[Route]) -> list[Route]:
    """One route per resource: the first of each functions/ folder in template.yaml's order."""
    first: dict[str, Route] = {}
    for route in routes:
        first.setdefault(handler_module(route).split(".")[0], route)
    return list(first.values())


@dataclass(frozen=True)
class ColdResult:
    label: str
    handler: str
    import_ms: float
    invoke_ms: float
    total_ms: float


def subprocess_environment(stack: LocalStack, python_paths: tuple[Path, ...]) -> dict[str, str]:
    """What Lambda would give the function: the stack's settings and the code and layer paths."""
    settings = {name: value for name, value in stack.environment().items() if value is not None}
    return {**settings, "PYTHONPATH": os.pathsep.join(str(path) for path in python_paths)}


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


def cold_run(module: str, event: dict[str, Any], environment: dict[str, str]) -> tuple[float, float]:
    """One fresh interpreter: seconds to import the handler, seconds of its first invocation."""
    finished = _fresh_interpreter(["-c", _COLD_RUNNER, module], environment, json.dumps(event))
    line = next(line for line in reversed(finished.stdout.splitlines()) if line.startswith(_RESULT_MARKER))
    result = json.loads(line.removeprefix(_RESULT_MARKER))
    require_success(f"{module} (cold)", result["status"], finished.stderr[-2000:])
    return result["import"], result["invoke"]


def cold_result(label: str, handler: str, timings: list[tuple[float, float]]) -> ColdResult:
    return ColdResult(
        label=label,
        handler=handler,
        import_ms=median_ms([imported for imported, _ in timings]),
        invoke_ms=median_ms([invoked for _, invoked in timings]),
        total_ms=median_ms([imported + invoked for imported, invoked in timings]),
    )


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
