"""moto's server for S3 and every other AWS API the handlers might call, on a loopback port.

It runs as a child process rather than in a thread: moto keeps its state in module globals,
and a test using moto's in-process ``mock_aws()`` resets them on exit, which would wipe the
local stack's bucket in the middle of a test session.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

import boto3

from local.dynamodb_local import LOCAL_CREDENTIALS
from local.net import LOOPBACK
from local.server_process import ServerProcess


class MotoServer(ServerProcess):
    """``python -m moto.server`` on a free port; a context manager."""

    name = "moto server"

    def __init__(self, *, port: int | None = None, region: str = "us-east-1"):
        super().__init__(port=port)
        self.region = region

    def client(self, service_name: str) -> Any:
        return boto3.client(
            service_name,  # type: ignore[call-overload]
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            **LOCAL_CREDENTIALS,
        )

    def command(self) -> list[str]:
        return [sys.executable, "-m", "moto.server", "--host", LOOPBACK, "--port", str(self.port)]

    def answers(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=0.5):
                return True
        except OSError:
            return False
