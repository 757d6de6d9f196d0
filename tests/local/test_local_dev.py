"""``make dev`` end to end: it serves, prints what it promised, and leaves nothing behind on Ctrl-C or SIGTERM."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from local import REPO_ROOT
from local.net import free_port

pytestmark = pytest.mark.integration

STARTUP_TIMEOUT_SECONDS = 60


def _accepts_connections(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=1):
            return True
    except OSError:
        return False


def _read_banner(process: subprocess.Popen[str]) -> str:
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if "Ctrl-C stops everything" in line:
            return "".join(lines)
    raise AssertionError("dev exited before it was ready:\n" + "".join(lines))


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_dev_serves_the_api_and_stops_everything(stop_signal: signal.Signals) -> None:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own entry point
        [sys.executable, "-m", "local"],
        cwd=REPO_ROOT,
        # The hashing embedder: make dev's real model is tested in tests/integration/test_semantic_search.py.
        env={**os.environ, "PORT": str(port), "EMBEDDINGS": "hashing"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        banner = _read_banner(process)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/no/such/route")
        not_found = connection.getresponse()

        process.send_signal(stop_signal)
        exit_code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()

    assert not_found.status == 404
    assert "export TOKEN=" in banner
    assert "export TOKEN2=" in banner
    assert f"curl -s -X POST localhost:{port}/groups" in banner
    assert exit_code == 0
    for server in ("DynamoDB", "S3"):
        url = re.search(rf"{server}: +(\S+)", banner).group(1)  # type: ignore[union-attr]
        assert not _accepts_connections(url), f"the {server} server outlived make dev"
    assert not _accepts_connections(f"http://127.0.0.1:{port}")
