"""The local search engine: ``osmem-server`` (OpenSearch's REST API for indices, documents and
text search) with the k-NN proxy of ``local.knn_proxy`` in front, each a child process on a
loopback port. ``endpoint_url`` is the proxy's: what the handlers' OpenSearch client talks to.
"""

from __future__ import annotations

import sys
from typing import Self

import requests

from local.lifecycle import Service
from local.server_process import ServerProcess


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=0.5).status_code == 200
    except requests.RequestException:
        return False


class OsmemServer(ServerProcess):
    """``osmem-server`` on a free port: the binary its PyPI package carries, English analysis
    only (its Japanese analyzer costs startup time nothing here uses)."""

    name = "osmem-server"

    def command(self) -> list[str]:
        import osmem_server  # a development dependency, only the local stack needs it

        binary = str(osmem_server.resolve_binary())
        return [binary, "-addr", f"127.0.0.1:{self.port}", "-no-ja", "-no-stdin-watch"]

    def answers(self) -> bool:
        return _answers(self.endpoint_url)


class KnnProxyServer(ServerProcess):
    name = "k-NN proxy"

    def __init__(self, upstream: str, *, port: int | None = None):
        super().__init__(port=port)
        self.upstream = upstream

    def command(self) -> list[str]:
        return [sys.executable, "-m", "local.knn_proxy", "--port", str(self.port), "--upstream", self.upstream]

    def answers(self) -> bool:
        return _answers(self.endpoint_url)


class LocalSearchEngine(Service):
    def __init__(self) -> None:
        self.osmem = OsmemServer()
        self.proxy: KnnProxyServer | None = None

    @property
    def endpoint_url(self) -> str:
        if self.proxy is None:
            raise RuntimeError("the local search engine is not started")
        return self.proxy.endpoint_url

    def start(self) -> Self:
        self.osmem.start()
        self.proxy = KnnProxyServer(self.osmem.endpoint_url).start()
        return self

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
            self.proxy = None
        self.osmem.stop()
