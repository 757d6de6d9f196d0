"""The search index end to end below HTTP: the OpenSearch adapter against osmem-server (indices,
mappings, documents, text search) behind the local k-NN proxy (faiss), and the indexer on it.

Each test also runs against a real cluster when ``OPENSEARCH_URL`` names one (an OpenSearch
domain or a cluster with the k-NN and neural-search plugins, ``https://user:password@host:9200``
or, with ``OPENSEARCH_SERVICE=es``, SigV4-signed with the environment's AWS credentials;
``SEARCH_HYBRID=code`` for a cluster without the neural-search plugin), and is
skipped, saying so, otherwise: the same adapter and the same assertions, on the real k-NN plugin."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import numpy as np
import pytest

from funnel_core.search import opensearch
from funnel_core.search.documents import source_of
from funnel_core.search.embeddings import HashingEmbedder
from funnel_core.search.indexer import Indexer
from funnel_core.search.opensearch import OpenSearchIndex, Scope
from funnel_core.search.settings import SearchSettings
from local.search_engine import LocalSearchEngine
from local.vector_index import VectorField, VectorIndex

DIMENSION = 64


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__(DIMENSION)
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts += list(texts)
        return super().embed(texts)


LIVE_URL = os.environ.get("OPENSEARCH_URL")
LIVE_SERVICE = os.environ.get("OPENSEARCH_SERVICE", "none")
# A cluster without the neural-search plugin (before 2.10): SEARCH_HYBRID=code, as the app's setting.
LIVE_PIPELINE = os.environ.get("SEARCH_HYBRID", "pipeline") == "pipeline"


@pytest.fixture(scope="module", params=["local", "live"])
def engine(request) -> Iterator[SearchSettings]:
    """Where the index is: the local engine, or the cluster ``OPENSEARCH_URL`` names."""
    if request.param == "live":
        if not LIVE_URL:
            pytest.skip("no live cluster: set OPENSEARCH_URL (and OPENSEARCH_SERVICE=es to sign) to run against one")
        if LIVE_SERVICE == "aoss":
            pytest.skip("OpenSearch Serverless refuses refresh, which these tests read their writes with")
        yield SearchSettings(OPENSEARCH_ENDPOINT=LIVE_URL, OPENSEARCH_SERVICE=LIVE_SERVICE)
        return
    with LocalSearchEngine() as started:
        yield SearchSettings(OPENSEARCH_ENDPOINT=started.endpoint_url)


@pytest.fixture
def index(engine) -> Iterator[OpenSearchIndex]:
    on_cluster = engine.endpoint == LIVE_URL
    made = OpenSearchIndex(
        opensearch.client_for(engine),
        f"test-{uuid.uuid4().hex[:10]}",
        custom_ids=True,
        refresh=True,
        hybrid_pipeline=on_cluster and LIVE_PIPELINE,  # the local engine has no neural-search plugin
    )
    made.ensure(DIMENSION)
    yield made
    made.drop()


@pytest.fixture
def recorded() -> list[tuple[str, str, str, int]]:
    return []


@pytest.fixture
def indexer(index, recorded) -> Indexer:
    return Indexer(index, CountingEmbedder(), lambda *args: recorded.append(args))


def _knowledge(group: str, knowledge_id: str, text: str) -> dict:
    return {
        "PK": f"GROUP#{group}",
        "SK": f"KNOW#{knowledge_id}",
        "groupId": group,
        "knowledgeId": knowledge_id,
        "knowledgeType": "chunk",
        "text": text,
    }


def _apply(indexer: Indexer, item: dict) -> str:
    source = source_of(item)
    assert source is not None
    return indexer.apply(source)


def test_an_index_not_made_yet_is_searched_as_empty(engine):
    # Given a stack just deployed: no change indexed, no backfill run, so no index
    missing = OpenSearchIndex(
        opensearch.client_for(engine),
        f"never-{uuid.uuid4().hex[:10]}",
        custom_ids=True,
        refresh=True,
        hybrid_pipeline=False,
    )
    scope = Scope(("grp_a",))

    # Then every read finds nothing rather than failing
    assert missing.text("webinar", scope, 10) == []
    assert missing.knn([1.0] + [0.0] * (DIMENSION - 1), scope, 10) == []
    assert missing.stored("grp_a", "knw_1") == []
    assert missing.vectors("grp_a", "fnl_1") == []
    assert missing.firsts("grp_a", ["knw_1"]) == {}
    assert missing.remove_where("grp_a") == 0


def test_making_the_index_twice_keeps_it_and_its_mapping(index):
    index.ensure(DIMENSION)

    mapping = index.client.indices.get_mapping(index=index.index)[index.index]["mappings"]
    assert mapping["properties"][opensearch.VECTOR_FIELD]["dimension"] == DIMENSION
    assert mapping["dynamic"] == "strict"


def test_text_search_matches_words_in_the_tenant_with_highlights(index, indexer):
    _apply(indexer, _knowledge("grp_a", "knw_1", "Our webinar registration page fills seats"))
    _apply(indexer, _knowledge("grp_b", "knw_2", "Our webinar registration page fills seats"))
    _apply(indexer, _knowledge("grp_a", "knw_3", "A tripwire offer after the opt-in"))

    hits = index.text("webinar", Scope(("grp_a",)), 10)

    assert [hit.source["entityId"] for hit in hits] == ["knw_1"]
    assert hits[0].highlight == ["Our <mark>webinar</mark> registration page fills seats"]
    assert opensearch.VECTOR_FIELD not in hits[0].source


def test_an_unchanged_item_delivered_again_writes_nothing(index, indexer, recorded, monkeypatch):
    item = _knowledge("grp_a", "knw_1", "Webinar attendees buy the course")
    _apply(indexer, item)
    writes = []
    monkeypatch.setattr(index, "write", lambda *args: writes.append(args))

    outcome = _apply(indexer, item)

    assert outcome == "knw_1 unchanged"
    assert writes == []
    assert len(indexer.embedder.texts) == 1
    assert recorded == [("grp_a", "knw_1", f"hashing-v1-{DIMENSION}", DIMENSION)]


def test_an_update_embeds_only_the_chunks_whose_words_changed(index, indexer):
    words = [f"word{n}" for n in range(400)]
    _apply(indexer, _knowledge("grp_a", "knw_long", " ".join(words)))
    chunks_before = len(indexer.embedder.texts)
    assert chunks_before == 3

    words[-1] = "changed"
    _apply(indexer, _knowledge("grp_a", "knw_long", " ".join(words)))

    assert len(indexer.embedder.texts) == chunks_before + 1
    assert indexer.embedder.texts[-1].endswith("changed")
    stored = index.stored("grp_a", "knw_long")
    assert sorted(doc.document["chunk"] for doc in stored) == [0, 1, 2]


def test_a_shorter_text_removes_the_chunks_it_no_longer_has(index, indexer):
    _apply(indexer, _knowledge("grp_a", "knw_1", " ".join(f"w{n}" for n in range(400))))

    _apply(indexer, _knowledge("grp_a", "knw_1", "just a few words now"))

    assert [doc.document["text"] for doc in index.stored("grp_a", "knw_1")] == ["just a few words now"]


def test_archiving_a_funnel_removes_it_its_steps_and_their_elements(index, indexer, monkeypatch):
    monkeypatch.setattr(opensearch, "_MAX_IDS_PER_LOOKUP", 2)  # the removal pages through ids
    funnel = {"PK": "GROUP#grp_a#FUNNEL#fnl_1", "SK": "FUNNEL", "groupId": "grp_a", "funnelId": "fnl_1"}
    _apply(indexer, {**funnel, "name": "Webinar funnel", "status": "draft"})
    for n in range(3):
        step = {"PK": funnel["PK"], "SK": f"STEP#stp_{n}", "groupId": "grp_a", "funnelId": "fnl_1"}
        _apply(indexer, {**step, "stepId": f"stp_{n}", "name": f"Webinar step {n}"})
        element = {**step, "SK": f"STEP#stp_{n}#EL#elm_{n}", "stepId": f"stp_{n}", "elementId": f"elm_{n}"}
        _apply(indexer, {**element, "settings": {"text": "Save your seat for the webinar"}})
    other = {**funnel, "PK": "GROUP#grp_a#FUNNEL#fnl_2", "funnelId": "fnl_2", "name": "Webinar replay"}
    _apply(indexer, other)
    before = index.text("webinar", Scope(("grp_a",)), 50)
    assert len(before) == 8  # 2 funnels, 3 steps, 3 elements
    assert {hit.source["entityId"] for hit in before} == {"fnl_1", "fnl_2", "stp_0", "stp_1", "stp_2"}

    outcome = _apply(indexer, {**funnel, "name": "Webinar funnel", "status": "archived"})

    assert outcome == "removed 7 documents of funnel fnl_1"
    assert [hit.source["entityId"] for hit in index.text("webinar", Scope(("grp_a",)), 50)] == ["fnl_2"]


def test_knn_returns_k_of_the_tenants_own_and_never_anothers_near_duplicates(index, indexer):
    embedder = indexer.embedder
    query = "free webinar registration for busy coaches"
    # The victim has twenty near-duplicates of the query; the caller's group ten documents far from it
    for n in range(20):
        _apply(indexer, _knowledge("grp_victim", f"knw_v{n}", f"{query} {n}"))
    for n in range(10):
        _apply(indexer, _knowledge("grp_caller", f"knw_c{n}", f"shipping policy for order {n} of shoes"))
    vector = embedder.embed([query])[0]

    mine = index.knn(vector, Scope(("grp_caller",)), 5)
    everything_mine = index.knn(vector, Scope(("grp_caller",)), 50)
    theirs = index.knn(vector, Scope(("grp_victim",)), 5)

    assert len(mine) == 5
    assert {hit.source["groupId"] for hit in mine + everything_mine} == {"grp_caller"}
    assert len(everything_mine) == 10
    assert {hit.source["groupId"] for hit in theirs} == {"grp_victim"}
    assert theirs[0].score > mine[0].score


def test_a_document_finds_itself_first_with_opensearchs_inner_product_score(index, indexer):
    _apply(indexer, _knowledge("grp_a", "knw_1", "webinar"))
    _apply(indexer, _knowledge("grp_a", "knw_2", "checkout"))
    [stored] = index.stored("grp_a", "knw_1")

    hits = index.knn(stored.document[opensearch.VECTOR_FIELD], Scope(("grp_a",)), 2)

    assert hits[0].source["entityId"] == "knw_1"
    assert hits[0].score == pytest.approx(2.0)  # inner product 1 scores 1 + 1


def test_the_hybrid_pipeline_ranks_by_words_and_meaning_in_the_tenant(index, indexer):
    if not index.hybrid_pipeline:
        pytest.skip("no search pipeline (the local engine, or SEARCH_HYBRID=code): hybrid is combined in code there")
    _apply(indexer, _knowledge("grp_a", "knw_1", "Our webinar registration page fills seats"))
    _apply(indexer, _knowledge("grp_a", "knw_2", "A tripwire offer after the opt-in"))
    _apply(indexer, _knowledge("grp_b", "knw_3", "Our webinar registration page fills seats"))
    words = "webinar registration"

    hits = index.hybrid(words, indexer.embedder.embed([words])[0], Scope(("grp_a",)), 10)

    assert hits[0].source["entityId"] == "knw_1"
    assert {hit.source["groupId"] for hit in hits} == {"grp_a"}
    assert hits[0].score <= 1.0  # min-max normalized, then the weighted mean


def test_the_hnsw_graph_forgets_replaced_documents_and_honours_filters():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(500, 16)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    graph = VectorIndex(VectorField("v", 16, "innerproduct", m=8, ef_construction=64, ef_search=64))
    graph.put((f"d{n}", vector.tolist()) for n, vector in enumerate(vectors))
    graph.remove(["d0"])
    graph.put([("d1", (-vectors[1]).tolist())])  # d1 written again, pointing the other way

    found = graph.search(vectors[0].tolist(), 10)
    allowed = {f"d{n}" for n in range(100, 130)}
    # a graph walk wide enough to see all of them: the filter's 30 are then ranked exactly
    filtered = graph.search(vectors[0].tolist(), 10, allowed=allowed, ef_search=500)
    few = graph.search(vectors[0].tolist(), 10, allowed={"d200", "d201"})

    assert "d0" not in [doc for doc, _ in found]
    assert len(found) == 10
    assert len(graph) == 499
    assert len(filtered) == 10
    assert {doc for doc, _ in filtered} <= allowed
    assert sorted(doc for doc, _ in few) == ["d200", "d201"]
    exact = sorted(allowed, key=lambda doc: -float(vectors[int(doc[1:])] @ vectors[0]))[:10]
    assert [doc for doc, _ in filtered] == exact
