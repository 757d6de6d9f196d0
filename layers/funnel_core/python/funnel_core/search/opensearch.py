"""The search index on OpenSearch: its mapping, the bodies of its queries, and the adapter that
sends them with opensearch-py (signed with SigV4 for OpenSearch Serverless or a domain).

The tenant filter is always *inside* the query: in the k-NN clause's ``filter`` (OpenSearch's
efficient filtering, which the faiss engine applies while it walks the graph, so the k nearest
are the k nearest of the tenant's documents), and in the text query's ``bool.filter``. Nothing
is filtered after the engine answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from funnel_core.container import once
from funnel_core.errors import DomainError
from funnel_core.search.settings import SearchSettings, search_settings

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

VECTOR_FIELD = "embedding"
# HNSW on faiss (docs/search.md): m 16 links a node, ef_construction 128 candidates when it is
# inserted, ef_search 1024 candidates when a query walks the graph: on make bench's 100,000
# clustered vectors, 256 (enough at 10,000) recalled 0.73 of the exact 10 nearest, 512 0.91,
# 1024 0.99, at a third of exact search's time. m 32 reached 0.98 at 512 for a build three
# times as long and twice the links in memory.
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 128
HNSW_EF_SEARCH = 1024
HYBRID_PIPELINE = "funnel-search-hybrid"
# The text match's share of a hybrid score (the rest is k-NN's): 0.1, chosen on make bench's tuning
# set, where BM25 on question-like queries ranks noise (0.1 and 0.15 tie there; 0.3 cost an eighth
# of hybrid's MRR), and judged on its held-out set (docs/search.md).
HYBRID_TEXT_WEIGHT = 0.1
HIGHLIGHT = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "fields": {"title": {}, "text": {"fragment_size": 160}}}
_SOURCE = {"excludes": [VECTOR_FIELD]}
_MAX_IDS_PER_LOOKUP = 1000


def mapping(dimension: int) -> dict[str, Any]:
    """The index: keyword fields filtered on, text fields matched, the vector on faiss HNSW.

    Vectors are unit length, so ``innerproduct`` ranks as cosine does.
    """
    keyword = {"type": "keyword"}
    # Lucene's English analyzer (stop words, possessives, Porter stemming): "signed up for the
    # webinars" matches "sign up webinar", and "the", "for" no longer match every page.
    words = {"type": "text", "analyzer": "english"}
    return {
        "settings": {"index": {"knn": True, "knn.algo_param.ef_search": HNSW_EF_SEARCH}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "groupId": keyword,
                "kind": keyword,
                "entityId": keyword,
                "sourceId": keyword,
                "funnelId": keyword,
                "status": keyword,
                "title": words,
                "text": words,
                "chunk": {"type": "integer"},
                "contentHash": keyword,
                "embeddingModel": keyword,
                "knowledgeType": keyword,
                "labels": keyword,
                "sourceThingId": keyword,
                "stepType": keyword,
                "elementType": keyword,
                "category": keyword,
                "scope": keyword,
                VECTOR_FIELD: {
                    "type": "knn_vector",
                    "dimension": dimension,
                    "method": {
                        "name": "hnsw",
                        "engine": "faiss",
                        "space_type": "innerproduct",
                        "parameters": {"m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION},
                    },
                },
            },
        },
    }


def hybrid_pipeline() -> dict[str, Any]:
    """Min-max normalization of each sub-query's scores, then their weighted mean."""
    weights = [HYBRID_TEXT_WEIGHT, round(1 - HYBRID_TEXT_WEIGHT, 6)]
    return {
        "description": "Funnel search: text and k-NN scores normalized and combined",
        "phase_results_processors": [
            {
                "normalization-processor": {
                    "normalization": {"technique": "min_max"},
                    "combination": {"technique": "arithmetic_mean", "parameters": {"weights": weights}},
                }
            }
        ],
    }


@dataclass(frozen=True)
class Scope:
    """What a query may find: the tenant's documents, of these kinds, in these funnels."""

    group_ids: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    # None: any document of the tenant; a tuple: only documents of these funnels (a group_user's).
    funnel_ids: tuple[str, ...] | None = None
    exclude_entities: tuple[str, ...] = ()

    def filter(self) -> dict[str, Any]:
        clauses: list[dict[str, Any]] = [{"terms": {"groupId": list(self.group_ids)}}]
        if self.kinds:
            clauses.append({"terms": {"kind": list(self.kinds)}})
        if self.funnel_ids is not None:
            clauses.append({"terms": {"funnelId": list(self.funnel_ids)}})
        bool_query: dict[str, Any] = {"filter": clauses}
        if self.exclude_entities:
            bool_query["must_not"] = [{"terms": {"entityId": list(self.exclude_entities)}}]
        return {"bool": bool_query}


def text_query(words: str, scope: Scope) -> dict[str, Any]:
    match = {"multi_match": {"query": words, "fields": ["title^2", "text"]}}
    return {"bool": {"must": [match], "filter": [scope.filter()]}}


def knn_query(vector: Sequence[float], scope: Scope, k: int) -> dict[str, Any]:
    return {"knn": {VECTOR_FIELD: {"vector": list(vector), "k": k, "filter": scope.filter()}}}


def text_body(words: str, scope: Scope, size: int) -> dict[str, Any]:
    return {"size": size, "_source": _SOURCE, "query": text_query(words, scope), "highlight": HIGHLIGHT}


def knn_body(vector: Sequence[float], scope: Scope, size: int) -> dict[str, Any]:
    return {"size": size, "_source": _SOURCE, "query": knn_query(vector, scope, size)}


def hybrid_body(words: str, vector: Sequence[float], scope: Scope, size: int) -> dict[str, Any]:
    queries = [text_query(words, scope), knn_query(vector, scope, size)]
    return {"size": size, "_source": _SOURCE, "query": {"hybrid": {"queries": queries}}, "highlight": HIGHLIGHT}


@dataclass(frozen=True)
class Hit:
    doc_id: str
    score: float
    source: dict[str, Any]
    highlight: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Stored:
    """A document already in the index, its vector included: what deciding to embed again needs."""

    doc_id: str
    document: dict[str, Any]

    @property
    def content_hash(self) -> str:
        return str(self.document.get("contentHash", ""))


class SearchIndex(Protocol):
    # Whether a document written under the id of one already there replaces it (OpenSearch
    # Serverless vector collections make their own ids: there a source's documents are replaced).
    custom_ids: bool

    def ensure(self, dimension: int) -> None: ...
    def drop(self) -> None: ...
    def stored(self, group_id: str, source_id: str) -> list[Stored]: ...
    def write(self, remove_ids: Iterable[str], documents: Iterable[tuple[str, dict[str, Any]]]) -> None: ...
    def remove_where(self, group_id: str, *, funnel_id: str | None = None) -> int: ...
    def text(self, words: str, scope: Scope, size: int) -> list[Hit]: ...
    def knn(self, vector: Sequence[float], scope: Scope, size: int) -> list[Hit]: ...
    def hybrid(self, words: str, vector: Sequence[float], scope: Scope, size: int) -> list[Hit]: ...
    def firsts(self, group_id: str, source_ids: Sequence[str]) -> dict[str, dict[str, Any]]: ...
    def vectors(self, group_id: str, funnel_id: str, entity_id: str | None = None) -> list[list[float]]: ...


def _hits(response: dict[str, Any]) -> list[Hit]:
    return [
        Hit(
            doc_id=hit["_id"],
            score=float(hit.get("_score") or 0.0),
            source=hit.get("_source") or {},
            # A title repeated in its text is highlighted in both: each fragment once.
            highlight=list(dict.fromkeys(f for fragments in (hit.get("highlight") or {}).values() for f in fragments)),
        )
        for hit in response.get("hits", {}).get("hits", [])
    ]


class OpenSearchIndex:
    """One index of a collection or a domain. On OpenSearch Serverless a vector collection makes
    its own document ids, so ids are sent only where the target takes them (``custom_ids``); a
    source's documents are found again by ``sourceId`` either way."""

    def __init__(self, client: Any, index: str, *, custom_ids: bool, refresh: bool, hybrid_pipeline: bool) -> None:
        self.client = client
        self.index = index
        self.custom_ids = custom_ids
        self.refresh = refresh
        self.hybrid_pipeline = hybrid_pipeline

    def ensure(self, dimension: int) -> None:
        """Make the index (and the hybrid pipeline) unless they are there: safe to repeat."""
        if not self.client.indices.exists(index=self.index):
            self.client.indices.create(index=self.index, body=mapping(dimension), params={"ignore": 400})
        if self.hybrid_pipeline:
            self.client.transport.perform_request("PUT", f"/_search/pipeline/{HYBRID_PIPELINE}", body=hybrid_pipeline())

    def drop(self) -> None:
        """The index gone (before a backfill into a new mapping, after a model change)."""
        self.client.indices.delete(index=self.index, params={"ignore_unavailable": "true"})

    def stored(self, group_id: str, source_id: str) -> list[Stored]:
        body = {
            "size": _MAX_IDS_PER_LOOKUP,
            "query": {"bool": {"filter": [{"term": {"groupId": group_id}}, {"term": {"sourceId": source_id}}]}},
        }
        response = self._search(body)
        return [Stored(hit["_id"], hit["_source"]) for hit in response["hits"]["hits"]]

    def write(self, remove_ids: Iterable[str], documents: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Removals first, then the documents, in one bulk request, in order."""
        operations: list[dict[str, Any]] = [{"delete": {"_index": self.index, "_id": doc_id}} for doc_id in remove_ids]
        for doc_id, document in documents:
            action: dict[str, Any] = {"_index": self.index, **({"_id": doc_id} if self.custom_ids else {})}
            operations += [{"index": action}, document]
        if not operations:
            return
        response = _answered(self.client.bulk, body=operations, params=self._refresh())
        failed = [
            item
            for entry in response.get("items", [])
            for op, item in entry.items()
            if item.get("status", 200) >= 300 and not (op == "delete" and item.get("status") == 404)
        ]
        if failed:
            raise IndexWriteFailed(f"{len(failed)} index operations failed, the first: {failed[0]}")

    def remove_where(self, group_id: str, *, funnel_id: str | None = None) -> int:
        """Every document of the group (or of one funnel of it), a page of ids at a time, in the
        order of (sourceId, chunk), which names each document once."""
        clauses: list[dict[str, Any]] = [{"term": {"groupId": group_id}}]
        if funnel_id is not None:
            clauses.append({"term": {"funnelId": funnel_id}})
        body: dict[str, Any] = {
            "size": _MAX_IDS_PER_LOOKUP,
            "_source": False,
            "query": {"bool": {"filter": clauses}},
            "sort": [{"sourceId": "asc"}, {"chunk": "asc"}],
        }
        removed = 0
        while hits := self._search(body)["hits"]["hits"]:
            self.write([hit["_id"] for hit in hits], ())
            removed += len(hits)
            body["search_after"] = hits[-1]["sort"]
        return removed

    def text(self, words: str, scope: Scope, size: int) -> list[Hit]:
        return _hits(self._search(text_body(words, scope, size)))

    def knn(self, vector: Sequence[float], scope: Scope, size: int) -> list[Hit]:
        return _hits(self._search(knn_body(vector, scope, size)))

    def hybrid(self, words: str, vector: Sequence[float], scope: Scope, size: int) -> list[Hit]:
        params = {"search_pipeline": HYBRID_PIPELINE}
        return _hits(self._search(hybrid_body(words, vector, scope, size), params))

    def firsts(self, group_id: str, source_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The first chunk of each source: its title and kind, for results found by another chunk."""
        if not source_ids:
            return {}
        filters = [{"term": {"groupId": group_id}}, {"terms": {"sourceId": list(source_ids)}}, {"term": {"chunk": 0}}]
        body = {"size": len(source_ids), "_source": _SOURCE, "query": {"bool": {"filter": filters}}}
        hits = _hits(self._search(body))
        return {str(hit.source["sourceId"]): hit.source for hit in hits}

    def vectors(self, group_id: str, funnel_id: str, entity_id: str | None = None) -> list[list[float]]:
        """The vectors of a funnel's documents (or of one step's): what "similar" starts from."""
        filters: list[dict[str, Any]] = [{"term": {"groupId": group_id}}, {"term": {"funnelId": funnel_id}}]
        if entity_id is not None:
            filters.append({"term": {"entityId": entity_id}})
        body = {"size": _MAX_IDS_PER_LOOKUP, "_source": [VECTOR_FIELD], "query": {"bool": {"filter": filters}}}
        return [hit["_source"][VECTOR_FIELD] for hit in self._search(body)["hits"]["hits"]]

    def _search(self, body: dict[str, Any], params: dict[str, str] | None = None) -> dict[str, Any]:
        """The answer; an index not made yet (no change indexed and no backfill run since the
        deploy) holds nothing, which is what a search of it finds."""
        from opensearchpy.exceptions import NotFoundError  # only search's functions load it

        try:
            return _answered(self.client.search, index=self.index, body=body, params=params or {})
        except NotFoundError as error:
            if error.error != "index_not_found_exception":
                raise
            return {"hits": {"hits": []}}

    def _refresh(self) -> dict[str, str]:
        return {"refresh": "true"} if self.refresh else {}


_OVERLOADED = frozenset({429, 502, 503, 504})


def _answered(call: Any, /, **arguments: Any) -> Any:
    """``call``'s answer; an index that is down or overloaded is a 503 to try again, not a 500."""
    from opensearchpy.exceptions import ConnectionError as NoConnection  # only search's functions load it
    from opensearchpy.exceptions import TransportError

    try:
        return call(**arguments)
    except NoConnection as error:
        raise SearchUnavailable("the search index did not answer; try again in a moment") from error
    except TransportError as error:
        if error.status_code in _OVERLOADED:
            raise SearchUnavailable(f"the search index is busy ({error.status_code}); try again in a moment") from error
        raise


class IndexWriteFailed(RuntimeError):
    """The index refused some of a bulk request: the stream record is retried."""


class SearchUnavailable(DomainError):
    """The index did not answer, or answered that it is overloaded: nothing to show yet (503)."""

    status, code = 503, "search_unavailable"

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def client_for(settings: SearchSettings) -> Any:
    from opensearchpy import OpenSearch, RequestsHttpConnection  # only search's functions load it

    if not settings.endpoint:
        raise SearchNotConfigured("search is not deployed in this stack (no OpenSearch collection is configured)")
    if settings.service == "none":
        return OpenSearch(hosts=[settings.endpoint], timeout=10)
    import boto3
    from opensearchpy import AWSV4SignerAuth

    session = boto3.Session()
    auth = AWSV4SignerAuth(session.get_credentials(), session.region_name, settings.service)
    return OpenSearch(
        hosts=[settings.endpoint],
        http_auth=auth,
        use_ssl=True,
        verify_certs=True,
        connection_class=RequestsHttpConnection,
        pool_maxsize=16,
        timeout=10,
    )


class SearchNotConfigured(DomainError):
    """No index is deployed (the stack was made without a search collection): 503, saying so."""

    status, code = 503, "search_not_deployed"


@once
def search_index() -> OpenSearchIndex:
    settings = search_settings()
    return OpenSearchIndex(
        client_for(settings),
        settings.index,
        custom_ids=settings.service != "aoss",
        refresh=settings.refresh,
        hybrid_pipeline=settings.hybrid == "pipeline",
    )
