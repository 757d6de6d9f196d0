"""Containers as Lambda runs them: a process each, one event at a time, nothing shared."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from local.lambda_runtime import LambdaError, LambdaFunction, LambdaTimeout
from local.template import FunctionSpec

FUNCTIONS = Path(__file__).parent / "fixtures" / "functions"


def _function(handler: str, timeout: int = 10) -> LambdaFunction:
    return LambdaFunction(FunctionSpec(logical_id="Fixture", handler=handler, code_uri=FUNCTIONS, timeout=timeout))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def _echo_event(n: int) -> dict:
    return {
        "version": "2.0",
        "routeKey": "POST /echo",
        "rawPath": "/echo",
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {"http": {"method": "POST", "path": "/echo"}, "stage": "$default"},
        "body": json.dumps({"n": n}),
        "isBase64Encoded": False,
    }


@pytest.fixture
def echo():
    function = _function("fixture_handlers.powertools_echo.lambda_handler")
    yield function
    function.close()


def test_concurrent_invocations_each_see_their_own_event(echo):
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = [json.loads(result["body"]) for result in pool.map(echo.invoke, map(_echo_event, range(6)))]

    assert [(a["asked"], a["answered"]) for a in answers] == [(n, n) for n in range(6)]
    assert len({a["pid"] for a in answers}) == 6  # a container each, as Lambda scales out
    assert os.getpid() not in {a["pid"] for a in answers}


def test_a_warm_container_is_used_again_and_close_stops_it(echo):
    first = json.loads(echo.invoke(_echo_event(1))["body"])
    second = json.loads(echo.invoke(_echo_event(2))["body"])
    assert first["pid"] == second["pid"]
    assert echo.containers == 1

    echo.close()

    assert echo.containers == 0
    assert not _alive(first["pid"])


def test_a_container_that_dies_is_an_error_and_the_next_call_cold_starts():
    function = _function("fixture_handlers.crashing.lambda_handler")
    try:
        with pytest.raises(LambdaError, match="exited with code 3"):
            function.invoke({})
        assert function.containers == 0
        with pytest.raises(LambdaError):
            function.invoke({})
    finally:
        function.close()


def test_a_handler_that_raises_is_an_error_with_its_traceback():
    function = _function("fixture_handlers.failing.lambda_handler")
    try:
        with pytest.raises(LambdaError, match="handler bug") as raised:
            function.invoke({})
        assert "Traceback" in str(raised.value)
        assert function.containers == 1  # a handler error does not end its container
    finally:
        function.close()


def test_a_run_past_the_timeout_is_stopped_with_its_container():
    # Given a function with a 1 s timeout, warm from a short run
    function = _function("fixture_handlers.sleepy.lambda_handler", timeout=1)
    try:
        assert function.invoke({"seconds": 0}) == {"slept": 0.0}

        # When a run takes longer than that
        with pytest.raises(LambdaTimeout, match=r"timed out after 1\.00 seconds"):
            function.invoke({"seconds": 30})

        # Then its container is gone, and the next call cold-starts a new one that works
        assert function.containers == 0
        assert function.invoke({"seconds": 0}) == {"slept": 0.0}
    finally:
        function.close()


def test_containers_start_with_the_environment_the_function_was_given(monkeypatch):
    # Given a function made while the environment says one thing
    monkeypatch.setenv("FIXTURE_SETTING", "at-creation")
    function = _function("fixture_handlers.powertools_echo.lambda_handler")
    try:
        # When another thread changes the process's environment before the first cold start
        monkeypatch.setenv("FIXTURE_SETTING", "changed-later")
        answer = json.loads(function.invoke(_echo_event(1))["body"])

        # Then the container sees the environment of its function, not the change
        assert answer["setting"] == "at-creation"
    finally:
        function.close()
