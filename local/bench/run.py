"""Running it all: ``run()`` measures everything and writes the report."""

from __future__ import annotations

import logging
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from local import REPO_ROOT
from local.bench.aggregate import AGGREGATE_SHAPE, measure_aggregate_read, measure_at_the_limits
from local.bench.analytics import STREAM_RECORDS, measure_report_range, measure_rollup, measure_stream
from local.bench.calls import CallRecorder
from local.bench.cold import (
    LIBRARIES,
    LIBRARIES_LABEL,
    ColdResult,
    measure_cold,
    measure_imports,
    subprocess_environment,
    traced_environment,
)
from local.bench.pages import measure_pages
from local.bench.report import Report, render
from local.bench.search import measure_search
from local.bench.warm import WarmResult, measure_nested, measure_warm, scenarios
from local.bench.world import World, handler_module, new_container
from local.dynamodb_local import JAR_NAME
from local.stack import LocalStack
from local.template import Route, http_routes

log = logging.getLogger(__name__)

DOC_PATH = REPO_ROOT / "docs" / "benchmarks.md"
ITERATIONS = 30
# Fresh interpreters per handler (each next to a baseline run): fewer let one slow moment of a
# busy machine decide a handler's median.
COLD_RUNS = 5
IMPORTTIME_MODULE = "things.get"
# Own names, so a bench run inside a test session never meets the session's table or bucket.
TABLE_NAME = "funnel-builder-bench"
AUDIT_BUCKET_NAME = "funnel-builder-audit-bench"

# ---------------------------------------------------------------- running it all


def _dynamodb_local_version(stack: LocalStack) -> str:
    command = ["java", "-Djava.library.path=DynamoDBLocal_lib", "-jar", JAR_NAME, "-version"]
    try:
        finished = subprocess.run(
            command, cwd=stack.dynamodb.install_dir, capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return finished.stdout.strip().splitlines()[-1] if finished.stdout.strip() else "unknown"


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _machine(stack: LocalStack) -> list[str]:
    return [
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {os.cpu_count()} CPUs (nproc), {_cpu_model()}, {platform.system()} {platform.release()}; "
        f"load average {os.getloadavg()[0]:.1f} when the run began",
        f"Python {platform.python_version()}, boto3 {metadata.version('boto3')}, "
        f"Powertools {metadata.version('aws-lambda-powertools')}, pydantic {metadata.version('pydantic')}",
        f"DynamoDB Local {_dynamodb_local_version(stack)} (in memory)",
    ]


def _on_sys_path(paths: tuple[Path, ...]) -> None:
    """Where Lambda finds the code and the layer; pytest puts them there already."""
    for path in reversed(paths):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def _measure_routes(
    stack: LocalStack,
    world: World,
    recorder: CallRecorder,
    routes: list[Route],
    iterations: int,
    cold_routes: list[Route],
    cold_runs: int,
) -> tuple[list[WarmResult], list[ColdResult]]:
    """Warm, route by route, the world reseeded before each scenario; cold for ``cold_routes``,
    each run next to a run of the baseline."""
    warm, cold = [], []
    for route in routes:
        route_scenarios = scenarios(route)
        for scenario in route_scenarios:
            world.reset()
            log.info("warm: %s", scenario.label)
            warm.append(measure_warm(recorder, scenario, iterations))
        if route not in cold_routes:
            continue
        log.info("cold: %s", route.route_key)
        environment = subprocess_environment(stack, route.function.python_paths)
        plain = route_scenarios[0]
        cold.append(measure_cold(plain.label, handler_module(route), plain.make_event, environment, cold_runs))
    return warm, cold


def run(
    *,
    iterations: int = ITERATIONS,
    cold_runs: int = COLD_RUNS,
    cold_routes: list[Route] | None = None,
    at_the_limits: bool = True,
    lighthouse: bool = True,
    output: Path = DOC_PATH,
) -> Path:
    """Measure everything, write the report to ``output`` and return its path. Cold starts are
    measured for ``cold_routes``, every route by default. Without ``at_the_limits``, the funnel
    at the limits is left out (seeding it alone takes a quarter of a minute, a duplicate of it
    longer)."""
    routes = http_routes()
    cold_measured = routes if cold_routes is None else cold_routes
    _on_sys_path(routes[0].function.python_paths)
    recorder = CallRecorder()
    with LocalStack(table_name=TABLE_NAME, audit_bucket_name=AUDIT_BUCKET_NAME) as stack, recorder.installed():
        try:
            machine = _machine(stack)
            new_container()  # the store's client is created anew, with the recorder's hooks
            world = World(stack)
            warm, cold = _measure_routes(stack, world, recorder, routes, iterations, cold_measured, cold_runs)
            log.info("cold: the libraries alone")
            floor_environment = subprocess_environment(stack, routes[0].function.python_paths)
            libraries = measure_cold(LIBRARIES_LABEL, LIBRARIES, dict, floor_environment, cold_runs)
            log.info("cold, traced as on AWS: %s", IMPORTTIME_MODULE)
            traced_route = next(route for route in routes if handler_module(route) == IMPORTTIME_MODULE)
            environment = subprocess_environment(stack, traced_route.function.python_paths)
            traced = measure_cold(
                f"`{traced_route.route_key}` with tracing on",
                IMPORTTIME_MODULE,
                scenarios(traced_route)[0].make_event,
                traced_environment(environment),
                cold_runs,
            )
            world.reset()
            nested = measure_nested(recorder)
            world.reset()
            log.info("the funnel aggregate: a read of %s x %s", *AGGREGATE_SHAPE)
            aggregate_read = measure_aggregate_read(recorder, iterations)
            limits = None
            if at_the_limits:
                world.reset()
                log.info("the funnel aggregate: publish and duplicate at the limits")
                limits = measure_at_the_limits(recorder)
            world.reset()
            log.info("the public pages: serving, sizes, a viral funnel's writes")
            pages = measure_pages(max(iterations * 10, 20), lighthouse=lighthouse)
            log.info("the analytics roll-up against traffic")
            rollups = measure_rollup(recorder, world.reset)
            log.info("the analytics report over 90 days, and the stream consumer's rate")
            report_range = measure_report_range(recorder, world.reset)
            # A thousand views, or for a quick run (the test's) two hundred: a rate, either way.
            stream = measure_stream(world.reset, STREAM_RECORDS if iterations >= ITERATIONS else 200)
            log.info("search: recall, latency, indexing, ranking quality")
            search = measure_search(quick=iterations < ITERATIONS)
            imports = measure_imports(IMPORTTIME_MODULE, subprocess_environment(stack, routes[0].function.python_paths))
            report = Report(
                machine=machine,
                iterations=iterations,
                cold_runs=cold_runs,
                warm=warm,
                nested=nested,
                aggregate_read=aggregate_read,
                limits=limits,
                routes=len(routes),
                cold=cold,
                traced=traced,
                libraries=libraries,
                import_module=IMPORTTIME_MODULE,
                imports=imports,
                pages=pages,
                rollups=rollups,
                report_range=report_range,
                stream=stream,
                search=search,
            )
        finally:
            new_container()  # nothing cached keeps pointing at the stack about to stop
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(report), encoding="utf-8")
    return output


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for chatty in ("botocore", "werkzeug"):  # not one line per client or per moto request
        logging.getLogger(chatty).setLevel(logging.WARNING)
    started = time.monotonic()
    output = run()
    log.info("wrote %s in %.0f s", output.relative_to(REPO_ROOT), time.monotonic() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
