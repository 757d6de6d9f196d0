"""OpenSearch's REST API with k-NN, locally: ``osmem-server`` for indices, documents and text
search, and faiss for the ``knn`` query it refuses.

No OpenSearch with the k-NN plugin installs here (no Docker; ``osmem-server`` answers ``[knn]
query is not supported``). This proxy stands in front of osmem and forwards every request
unchanged, except that it

- reads each index's ``knn_vector`` fields (dimension, space, HNSW ``m``/``ef_construction``)
  from the mapping it is created with, and its ``knn.algo_param.ef_search``;
- mirrors every ``_bulk`` write and delete of a vector into a faiss HNSW graph of that index
  (``local.vector_index``), once osmem accepted it;
- answers a ``_search`` whose query is ``{"knn": {field: {"vector", "k", "filter"}}}`` itself:
  the filter runs on osmem first (the allowed documents), the graph is walked among those only
  (efficient filtering), and the k nearest come back as OpenSearch scores them, with osmem's
  ``_source``.

Anything of the k-NN DSL it does not implement (radial search, nested vectors, a ``knn`` inside
another query, ``hybrid``) is refused with OpenSearch's 400, never silently approximated.

Run: ``python -m local.knn_proxy --port P --upstream http://127.0.0.1:Q``.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from typing import Any

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from local.net import LOOPBACK
from local.vector_index import SPACES, VectorField, VectorIndex

_KNN_CLAUSE_KEYS = frozenset({"vector", "k", "filter", "method_parameters"})
_UNSUPPORTED_KNN_KEYS = frozenset({"min_score", "max_distance", "expand_nested_docs", "rescore"})
# OpenSearch's index.max_result_window: the most documents one filter may allow here.
_MAX_FILTERED = 10_000
_HOP_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "content-encoding"})


class QueryError(ValueError):
    """A request OpenSearch itself would answer 400."""

    def __init__(self, reason: str, kind: str = "parsing_exception"):
        super().__init__(reason)
        self.kind = kind


def _error(status: int, kind: str, reason: str) -> Response:
    body = {
        "error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind, "reason": reason},
        "status": status,
    }
    return Response(json.dumps(body), status=status, content_type="application/json")


def vector_fields(body: dict[str, Any]) -> dict[str, VectorField]:
    """The ``knn_vector`` fields of an index-creation body, validated as OpenSearch does."""
    settings = body.get("settings") or {}
    index_settings = settings.get("index", settings)
    ef_search = int(
        index_settings.get("knn.algo_param.ef_search") or settings.get("index.knn.algo_param.ef_search") or 100
    )
    fields: dict[str, VectorField] = {}
    properties = (body.get("mappings") or {}).get("properties") or {}
    for name, spec in properties.items():
        if spec.get("type") != "knn_vector":
            continue
        method = spec.get("method") or {}
        engine = method.get("engine", "faiss")
        if engine != "faiss" or method.get("name", "hnsw") != "hnsw":
            raise QueryError(
                f"[{name}] this local k-NN engine builds faiss hnsw only, not {engine} {method.get('name')}",
                "mapper_parsing_exception",
            )
        space = method.get("space_type", "l2")
        if space not in SPACES:
            raise QueryError(f"[{name}] unsupported space_type [{space}]", "mapper_parsing_exception")
        dimension = spec.get("dimension")
        if not isinstance(dimension, int) or not 1 <= dimension <= 16_000:
            raise QueryError(f"[{name}] dimension must be an integer from 1 to 16000", "mapper_parsing_exception")
        parameters = method.get("parameters") or {}
        fields[name] = VectorField(
            name=name,
            dimension=dimension,
            space_type=space,
            m=int(parameters.get("m", 16)),
            ef_construction=int(parameters.get("ef_construction", 100)),
            ef_search=ef_search,
        )
    return fields


def _has_key(value: Any, key: str) -> bool:
    """Whether ``key`` names a clause anywhere in ``value`` (words searched for are values, never keys)."""
    if isinstance(value, dict):
        return key in value or any(_has_key(inner, key) for inner in value.values())
    if isinstance(value, list):
        return any(_has_key(inner, key) for inner in value)
    return False


def knn_clause(body: dict[str, Any], fields: dict[str, VectorField]) -> tuple[VectorField, dict[str, Any]] | None:
    """The search's k-NN clause and its field, or None when the query is not k-NN at all."""
    query = body.get("query") or {}
    if "hybrid" in query:
        raise QueryError("[hybrid] query needs the neural-search plugin, which this local engine does not have")
    if "knn" not in query:
        if _has_key(query, "knn"):
            raise QueryError("a [knn] query nested in another query is not supported here; send it as the top query")
        return None
    if len(query) != 1 or len(query["knn"]) != 1:
        raise QueryError("[knn] query must name exactly one vector field")
    [(name, clause)] = query["knn"].items()
    if name not in fields:
        raise QueryError(f"field [{name}] is not a knn_vector field", "illegal_argument_exception")
    unknown = set(clause) - _KNN_CLAUSE_KEYS
    if unknown & _UNSUPPORTED_KNN_KEYS:
        raise QueryError(f"[knn] {sorted(unknown & _UNSUPPORTED_KNN_KEYS)} are not supported by this local engine")
    if unknown:
        raise QueryError(f"[knn] unknown field [{sorted(unknown)[0]}]")
    vector, k = clause.get("vector"), clause.get("k")
    if not isinstance(vector, list) or len(vector) != fields[name].dimension:
        given = len(vector) if isinstance(vector, list) else "no"
        raise QueryError(
            f"[knn] query vector has {given} dimensions, the field {fields[name].dimension}",
            "illegal_argument_exception",
        )
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 10_000:
        raise QueryError("[knn] requires k between 1 and 10000", "illegal_argument_exception")
    return fields[name], clause


class KnnProxy:
    """The WSGI app: osmem behind, a faiss graph per index and vector field beside it."""

    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.http = requests.Session()
        self.fields: dict[str, dict[str, VectorField]] = {}
        self.graphs: dict[tuple[str, str], VectorIndex] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self.handle(request)
        except QueryError as error:
            response = _error(400, error.kind, str(error))
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        parts = [part for part in request.path.split("/") if part]
        body = request.get_data()
        if request.method == "PUT" and len(parts) == 1 and not parts[0].startswith("_"):
            return self._create_index(parts[0], request, body)
        if request.method == "DELETE" and len(parts) == 1 and not parts[0].startswith("_"):
            response = self._forward(request, body)
            if response.status_code < 300:
                self._forget(parts[0])
            return response
        if parts and parts[-1] == "_bulk":
            return self._bulk(parts[0] if len(parts) == 2 else None, request, body)
        if len(parts) == 2 and parts[1] == "_search" and body:
            index = parts[0]
            search = json.loads(body)
            if index not in self.fields and self.http.head(f"{self.upstream}/{index}", timeout=30).status_code == 404:
                # OpenSearch answers a search of a missing index so, whatever the query
                return _error(404, "index_not_found_exception", f"no such index [{index}]")
            found = knn_clause(search, self.fields.get(index, {}))
            if found is not None:
                return self._knn(index, search, *found)
        return self._forward(request, body)

    def _forward(self, request: Request, body: bytes) -> Response:
        upstream = self.http.request(
            request.method,
            f"{self.upstream}{request.path}",
            params=list(request.args.items(multi=True)),
            data=body or None,
            headers={"Content-Type": request.headers.get("Content-Type", "application/json")},
            timeout=30,
        )
        headers = [(k, v) for k, v in upstream.headers.items() if k.lower() not in _HOP_HEADERS]
        return Response(upstream.content, status=upstream.status_code, headers=headers)

    def _create_index(self, index: str, request: Request, body: bytes) -> Response:
        fields = vector_fields(json.loads(body) if body else {})
        response = self._forward(request, body)
        if response.status_code < 300:
            with self._lock:
                self.fields[index] = fields
                for name, spec in fields.items():
                    self.graphs[(index, name)] = VectorIndex(spec)
        return response

    def _forget(self, index: str) -> None:
        with self._lock:
            self.fields.pop(index, None)
            for key in [key for key in self.graphs if key[0] == index]:
                del self.graphs[key]

    def _bulk(self, default_index: str | None, request: Request, body: bytes) -> Response:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        response = self._forward(request, body)
        if response.status_code >= 300:
            return response
        items = json.loads(response.get_data()).get("items", [])
        operations = iter(lines)
        writes: dict[tuple[str, str], list[tuple[str, list[float]]]] = {}
        removals: dict[str, list[str]] = {}
        for item in items:
            action = next(operations)
            [(op, meta)] = action.items()
            [(_, result)] = item.items()
            index = meta.get("_index") or default_index or result.get("_index")
            document = next(operations) if op in ("index", "create", "update") else None
            if result.get("status", 500) >= 300 or index is None:
                continue
            doc_id = str(result.get("_id") or meta.get("_id"))
            removals.setdefault(index, []).append(doc_id)
            if op in ("index", "create") and isinstance(document, dict):
                for name in self.fields.get(index, {}):
                    if isinstance(document.get(name), list):
                        writes.setdefault((index, name), []).append((doc_id, document[name]))
        for index, doc_ids in removals.items():
            for (graph_index, _), graph in self.graphs.items():
                if graph_index == index:
                    graph.remove(doc_ids)
        for key, documents in writes.items():
            self.graphs[key].put(documents)
        return response

    def _allowed(self, index: str, search_filter: dict[str, Any]) -> set[str]:
        body = {"size": _MAX_FILTERED, "_source": False, "query": search_filter}
        answer = self.http.post(f"{self.upstream}/{index}/_search", json=body, timeout=30)
        if answer.status_code >= 300:
            raise QueryError(f"[knn] filter refused: {answer.text[:300]}")
        return {hit["_id"] for hit in answer.json()["hits"]["hits"]}

    def _knn(self, index: str, search: dict[str, Any], spec: VectorField, clause: dict[str, Any]) -> Response:
        started = time.perf_counter()
        allowed = self._allowed(index, clause["filter"]) if clause.get("filter") else None
        ef_search = (clause.get("method_parameters") or {}).get("ef_search")
        nearest = self.graphs[(index, spec.name)].search(
            clause["vector"], clause["k"], allowed=allowed, ef_search=ef_search
        )
        size = int(search.get("size", 10))
        nearest = nearest[int(search.get("from", 0)) : int(search.get("from", 0)) + size]
        sources = self._sources(index, [doc_id for doc_id, _ in nearest], search.get("_source", True))
        hits = [
            {
                "_index": index,
                "_id": doc_id,
                "_score": round(value, 7),
                **({"_source": sources[doc_id]} if doc_id in sources else {}),
            }
            for doc_id, value in nearest
        ]
        took = round((time.perf_counter() - started) * 1000)
        answer = {
            "took": took,
            "timed_out": False,
            "hits": {
                "total": {"value": len(hits), "relation": "eq"},
                "max_score": hits[0]["_score"] if hits else None,
                "hits": hits,
            },
        }
        return Response(json.dumps(answer), content_type="application/json")

    def _sources(self, index: str, doc_ids: list[str], source: Any) -> dict[str, Any]:
        if not doc_ids or source is False:
            return {}
        body: dict[str, Any] = {"ids": doc_ids}
        answer = self.http.post(f"{self.upstream}/{index}/_mget", json=body, timeout=30).json()
        excluded = set(source.get("excludes", [])) if isinstance(source, dict) else set()
        return {
            doc["_id"]: {k: v for k, v in doc["_source"].items() if k not in excluded}
            for doc in answer.get("docs", [])
            if doc.get("found")
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    arguments = parser.parse_args()
    server = make_server(LOOPBACK, arguments.port, KnnProxy(arguments.upstream), threaded=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
