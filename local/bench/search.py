"""Search, measured: the approximate index's recall against exact search on generated vectors
(with its ``ef_search`` curve), a query's wall time against the engine's own ``took``, indexing
throughput, and the ranking quality of text, semantic and hybrid on a labelled relevance set
written from the system templates and sample knowledge (MRR), with the real local model."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import faiss
import numpy as np

from local.bench.markdown import table
from local.search_engine import LocalSearchEngine
from local.vector_index import VectorField, VectorIndex, recall_at

DIMENSION = 384  # all-MiniLM-L6-v2's; Titan V2's 512 behaves alike on generated data
VECTORS, QUICK_VECTORS = 100_000, 10_000
QUERIES, QUICK_QUERIES = 200, 50
EF_SEARCH_CURVE = (32, 64, 128, 256, 512)
RECALL_GOAL = 0.95
K = 10
_CLUSTERS = 2_000
_NOISE = 0.35

# The sample knowledge the relevance set also looks for (what a team would write about its funnels).
NOTES = {
    "knw_replay": "Everyone who attended the live online training gets the replay link by email the next morning.",
    "knw_refunds": "Refunds are processed within five business days of the request.",
    "knw_shipping": "Physical books ship from our warehouse in three to five days.",
    "knw_vip": "Customers who bought the annual plan are invited to the private community calls.",
    "knw_leads": "Cold ads send visitors to the free checklist page; most subscribe on mobile.",
}
# Queries a user would type, each with the item that should come first.
RELEVANCE = [
    ("people who signed up for the webinar", "tpl_sys_webinar-registration"),
    ("give my book away and let them pay the postage", "tpl_sys_free-book-shipping"),
    ("collect emails with a free downloadable guide", "tpl_sys_lead-magnet-opt-in"),
    ("recurring subscription with members-only content", "tpl_sys_membership-site"),
    ("build hype with a video series before opening the cart", "tpl_sys_product-launch"),
    ("qualify prospects before they book a call", "tpl_sys_strategy-call-booking"),
    ("cheap first offer that turns strangers into buyers", "tpl_sys_tripwire-sales"),
    ("where can I watch the recorded webinar", "knw_replay"),
    ("how long until I get my money back", "knw_refunds"),
    ("delivery time for printed copies", "knw_shipping"),
    ("perks for yearly subscribers", "knw_vip"),
    ("which device do opt-ins come from", "knw_leads"),
]


@dataclass(frozen=True)
class RecallPoint:
    ef_search: int
    recall: float
    query_us: float


@dataclass(frozen=True)
class SearchRun:
    vectors: int
    queries: int
    build_seconds: float
    exact_query_us: float
    curve: list[RecallPoint]
    knn_wall_ms: float
    knn_took_ms: float
    text_wall_ms: float
    text_took_ms: float
    indexed_documents: int
    index_per_second: float
    embed_per_second: float
    mrr: dict[str, float]
    misses: dict[str, list[str]]


def _generated(count: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors around cluster centres: embeddings of real text are clustered, not uniform."""
    centres = rng.normal(size=(_CLUSTERS, DIMENSION)).astype("float32")
    picks = rng.integers(0, _CLUSTERS, size=count)
    points = centres[picks] + _NOISE * rng.normal(size=(count, DIMENSION)).astype("float32")
    faiss.normalize_L2(points)  # type: ignore[arg-type]
    return points


def _recall(vectors: int, queries: int) -> tuple[float, float, list[RecallPoint]]:
    from funnel_core.search import opensearch

    rng = np.random.default_rng(11)
    data, probes = _generated(vectors, rng), _generated(queries, rng)
    exact = faiss.IndexFlatIP(DIMENSION)
    exact.add(data)
    started = time.perf_counter()
    _, truth = exact.search(probes, K)
    exact_us = (time.perf_counter() - started) / queries * 1e6
    spec = VectorField(
        "embedding",
        DIMENSION,
        "innerproduct",
        opensearch.HNSW_M,
        opensearch.HNSW_EF_CONSTRUCTION,
        opensearch.HNSW_EF_SEARCH,
    )
    graph = VectorIndex(spec)
    started = time.perf_counter()
    graph.put((str(n), vector) for n, vector in enumerate(data))
    build = time.perf_counter() - started
    curve = []
    for ef in EF_SEARCH_CURVE:
        started = time.perf_counter()
        found = [[int(doc) for doc, _ in graph.search(probe.tolist(), K, ef_search=ef)] for probe in probes]
        elapsed = time.perf_counter() - started
        curve.append(RecallPoint(ef, recall_at(found, truth.tolist()), elapsed / queries * 1e6))
    return build, exact_us, curve


def _engine(documents: int) -> tuple[float, float, float, float, float, float, dict[str, float], dict[str, list[str]]]:
    """Through HTTP on the local engine: query wall time against ``took``, indexing throughput with
    the hashing embedder, and the relevance set's MRR with the real model."""
    from funnel_core.search import opensearch
    from funnel_core.search.documents import source_of, template_source
    from funnel_core.search.embeddings import HashingEmbedder, SentenceTransformerEmbedder
    from funnel_core.search.indexer import Indexer
    from funnel_core.search.opensearch import OpenSearchIndex, Scope
    from funnel_core.search.settings import SearchSettings

    def new_index(client: Any, dimension: int) -> OpenSearchIndex:
        index = OpenSearchIndex(
            client, f"bench-{uuid.uuid4().hex[:8]}", custom_ids=True, refresh=False, hybrid_pipeline=False
        )
        index.ensure(dimension)
        return index

    with LocalSearchEngine() as engine:
        client = opensearch.client_for(SearchSettings(OPENSEARCH_ENDPOINT=engine.endpoint_url))
        hashing = HashingEmbedder(256)
        index = new_index(client, hashing.dimension)
        indexer = Indexer(index, hashing, lambda *_: None)
        words = ["webinar", "checkout", "upsell", "course", "coaching", "book", "shipping", "membership", "launch"]
        started = time.perf_counter()
        for n in range(documents):
            text = " ".join(words[(n * 7 + i) % len(words)] for i in range(12)) + f" item {n}"
            item = {"SK": f"KNOW#knw_{n}", "groupId": f"grp_{n % 20}", "knowledgeId": f"knw_{n}", "text": text}
            source = source_of(item)
            assert source is not None
            indexer.apply(source)
        per_second = documents / (time.perf_counter() - started)
        client.indices.refresh(index=index.index)
        scope = Scope(("grp_3",))
        knn_wall: list[float] = []
        knn_took: list[float] = []
        text_wall: list[float] = []
        text_took: list[float] = []
        for n in range(50):
            vector = hashing.embed([f"{words[n % len(words)]} course {n}"])[0]
            for body, wall, took in (
                (opensearch.knn_body(vector, scope, K), knn_wall, knn_took),
                (opensearch.text_body(words[n % len(words)], scope, K), text_wall, text_took),
            ):
                started = time.perf_counter()
                answer = client.search(index=index.index, body=body)
                wall.append((time.perf_counter() - started) * 1000)
                took.append(float(answer["took"]))

        model = SentenceTransformerEmbedder()
        quality = new_index(client, model.dimension)
        quality.refresh = True
        real = Indexer(quality, model, lambda *_: None)
        from funnel_core.builder.catalog import system_funnel_templates, system_page_templates

        texts = 0
        started = time.perf_counter()
        for template in [*system_funnel_templates(), *system_page_templates()]:
            source = template_source("grp_quality", template.model_dump(mode="json"))
            texts += len(source.chunks)
            real.apply(source)
        for knowledge_id, text in NOTES.items():
            source = source_of(
                {"SK": f"KNOW#{knowledge_id}", "groupId": "grp_quality", "knowledgeId": knowledge_id, "text": text}
            )
            assert source is not None
            texts += len(source.chunks)
            real.apply(source)
        embed_per_second = texts / (time.perf_counter() - started)
        mrr, misses = _mrr(quality, model)
    return (
        float(np.median(knn_wall)),
        float(np.median(knn_took)),
        float(np.median(text_wall)),
        float(np.median(text_took)),
        per_second,
        embed_per_second,
        mrr,
        misses,
    )


def _mrr(index: Any, model: Any) -> tuple[dict[str, float], dict[str, list[str]]]:
    from funnel_core.search.opensearch import Scope
    from funnel_core.search.query import by_entity, combine

    scope = Scope(("grp_quality",), ("funnel_template", "knowledge"))
    ranks: dict[str, list[float]] = {"text": [], "semantic": [], "hybrid": []}
    misses: dict[str, list[str]] = {mode: [] for mode in ranks}
    for words, expected in RELEVANCE:
        vector = model.embed([words])[0]
        text_hits, semantic_hits = by_entity(index.text(words, scope, 30)), by_entity(index.knn(vector, scope, 30))
        text, semantic = list(text_hits), list(semantic_hits)
        hybrid = [
            entity
            for entity, _ in combine(
                [(e, h.score) for e, h in text_hits.items()], [(e, h.score) for e, h in semantic_hits.items()]
            )
        ]
        for mode, ranking in (("text", text), ("semantic", semantic), ("hybrid", hybrid)):
            rank = ranking.index(expected) + 1 if expected in ranking else None
            ranks[mode].append(1 / rank if rank else 0.0)
            if rank != 1:
                misses[mode].append(f"{words!r}: {rank or 'not found'}")
    return {mode: sum(values) / len(values) for mode, values in ranks.items()}, misses


def measure_search(quick: bool) -> SearchRun:
    vectors, queries = (QUICK_VECTORS, QUICK_QUERIES) if quick else (VECTORS, QUERIES)
    build, exact_us, curve = _recall(vectors, queries)
    documents = 300 if quick else 2_000
    knn_wall, knn_took, text_wall, text_took, per_second, embed_rate, mrr, misses = _engine(documents)
    return SearchRun(
        vectors,
        queries,
        build,
        exact_us,
        curve,
        knn_wall,
        knn_took,
        text_wall,
        text_took,
        documents,
        per_second,
        embed_rate,
        mrr,
        misses,
    )


def render_search(run: SearchRun) -> str:
    from funnel_core.search import opensearch

    curve = table(
        ["ef_search", f"recall@{K}", "µs a query", "against exact search"],
        [
            [
                f"**{point.ef_search}**" if point.ef_search == opensearch.HNSW_EF_SEARCH else str(point.ef_search),
                f"{point.recall:.3f}",
                f"{point.query_us:,.0f}",
                f"{point.query_us / run.exact_query_us:.2f}x",
            ]
            for point in run.curve
        ],
    )
    chosen = next(point for point in run.curve if point.ef_search == opensearch.HNSW_EF_SEARCH)
    verdict = "meets" if chosen.recall >= RECALL_GOAL else "misses"
    quality = table(
        ["mode", "MRR", "not first"],
        [[mode, f"{value:.3f}", "; ".join(run.misses[mode]) or "none"] for mode, value in run.mrr.items()],
    )
    best_single = max(run.mrr["text"], run.mrr["semantic"])
    hybrid_verdict = "at least" if run.mrr["hybrid"] >= best_single else "below"
    return f"""HNSW on faiss as the index is mapped (`m` {opensearch.HNSW_M}, `ef_construction`
{opensearch.HNSW_EF_CONSTRUCTION}), over {run.vectors:,} generated unit vectors of {DIMENSION}
dimensions clustered as embeddings are, {run.queries} queries, against exact inner-product search
(faiss `IndexFlatIP`, {run.exact_query_us:,.0f} µs a query). Building the graph took
{run.build_seconds:.1f} s ({run.vectors / run.build_seconds:,.0f} vectors a second). The mapping's
`ef_search` ({opensearch.HNSW_EF_SEARCH}) gives **recall@{K} {chosen.recall:.3f}**, which {verdict}
the goal of {RECALL_GOAL}.

{curve}

Through OpenSearch's REST API on the local engine (osmem-server behind the k-NN proxy), median of
50 queries over {run.indexed_documents:,} documents in 20 tenants: a k-NN query takes
{run.knn_wall_ms:.1f} ms on the client against {run.knn_took_ms:.1f} ms of the engine's own `took`,
a text query {run.text_wall_ms:.1f} ms against {run.text_took_ms:.1f} ms. The indexer (hashing
embedder, a lookup and a bulk write per item) indexed {run.index_per_second:,.0f} items a second;
all-MiniLM-L6-v2 on this CPU embedded and indexed {run.embed_per_second:,.0f} chunks a second.

Ranking quality on a labelled set of {len(RELEVANCE)} queries, written from the system templates'
and the sample knowledge's content (`RELEVANCE` in `local/bench/search.py`), each with the item
that should come first, over every system funnel and page template and {len(NOTES)} notes, with
the real model. Hybrid combines the two as OpenSearch's normalization processor does (min-max, then
the weighted mean; in code on OpenSearch Serverless and locally, `combine` in
`funnel_core/search/query.py`): its MRR is **{hybrid_verdict}** the better of the two single modes.

{quality}"""
