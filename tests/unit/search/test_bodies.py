"""The request bodies the adapter sends, held to OpenSearch's documented query DSL: the k-NN
query (``knn.<field>.{vector, k, filter}``, efficient filtering), the hybrid query and its search
pipeline (neural-search's normalization processor), the mapping (``knn_vector`` with an HNSW
method on faiss). The local engine's parser (``local.knn_proxy``) reads the same DSL and refuses
what it does not know, so a body the adapter changed wrongly fails here and there."""

from __future__ import annotations

import pytest

from funnel_core.search import opensearch
from funnel_core.search.opensearch import Hit, Scope
from funnel_core.search.query import centroid, combine
from local.knn_proxy import QueryError, knn_clause, vector_fields

VECTOR = [0.6, 0.8, 0.0, 0.0]
SCOPE = Scope(("grp_a",), ("funnel", "funnel_step"), funnel_ids=("fnl_1",))


def test_the_tenant_filter_is_inside_the_knn_clause_not_after_it():
    body = opensearch.knn_body(VECTOR, SCOPE, 10)

    assert set(body) == {"size", "_source", "query"}  # no post_filter, no outer bool
    [(field, clause)] = body["query"]["knn"].items()
    assert field == opensearch.VECTOR_FIELD
    assert set(clause) == {"vector", "k", "filter"}
    filters = clause["filter"]["bool"]["filter"]
    assert {"terms": {"groupId": ["grp_a"]}} in filters
    assert {"terms": {"funnelId": ["fnl_1"]}} in filters
    assert {"terms": {"kind": ["funnel", "funnel_step"]}} in filters
    assert body["_source"] == {"excludes": [opensearch.VECTOR_FIELD]}


def test_the_local_engine_reads_the_adapters_mapping_and_knn_body():
    fields = vector_fields(opensearch.mapping(4))
    spec = fields[opensearch.VECTOR_FIELD]

    assert (spec.dimension, spec.space_type, spec.m, spec.ef_construction, spec.ef_search) == (
        4,
        "innerproduct",
        opensearch.HNSW_M,
        opensearch.HNSW_EF_CONSTRUCTION,
        opensearch.HNSW_EF_SEARCH,
    )
    found = knn_clause(opensearch.knn_body(VECTOR, SCOPE, 10), fields)
    assert found is not None
    assert found[1]["k"] == 10
    assert knn_clause(opensearch.text_body("webinar", SCOPE, 10), fields) is None
    # Words are values, not clauses: a search for "knn" is a text search like any other
    assert knn_clause(opensearch.text_body("knn vs. bm25 knn", SCOPE, 10), fields) is None


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"knn": {"embedding": {"vector": VECTOR, "k": 0}}}, "k between"),
        ({"knn": {"embedding": {"vector": [1.0], "k": 3}}}, "dimensions"),
        ({"knn": {"embedding": {"vector": VECTOR, "k": 3, "max_distance": 2}}}, "not supported"),
        ({"knn": {"embedding": {"vector": VECTOR, "k": 3, "colour": 1}}}, "unknown field"),
        ({"knn": {"other": {"vector": VECTOR, "k": 3}}}, "not a knn_vector"),
        ({"bool": {"must": [{"knn": {"embedding": {"vector": VECTOR, "k": 3}}}]}}, "nested"),
        ({"hybrid": {"queries": []}}, "neural-search"),
    ],
)
def test_the_local_engine_refuses_what_it_does_not_implement(query, reason):
    fields = vector_fields(opensearch.mapping(4))

    with pytest.raises(QueryError, match=reason):
        knn_clause({"query": query}, fields)


def test_the_hybrid_body_and_its_pipeline_follow_neural_search():
    body = opensearch.hybrid_body("webinar", VECTOR, SCOPE, 5)
    pipeline = opensearch.hybrid_pipeline()

    text, knn = body["query"]["hybrid"]["queries"]
    assert text["bool"]["filter"] == [SCOPE.filter()]
    assert knn["knn"][opensearch.VECTOR_FIELD]["filter"] == SCOPE.filter()
    [processor] = pipeline["phase_results_processors"]
    normalization = processor["normalization-processor"]
    assert normalization["normalization"] == {"technique": "min_max"}
    weights = normalization["combination"]["parameters"]["weights"]
    assert len(weights) == len(body["query"]["hybrid"]["queries"])
    assert sum(weights) == pytest.approx(1.0)


def test_the_mapping_is_strict_with_keyword_filters_and_faiss_hnsw():
    mapping = opensearch.mapping(512)

    properties = mapping["mappings"]["properties"]
    assert mapping["mappings"]["dynamic"] == "strict"
    assert mapping["settings"]["index"]["knn"] is True
    for name in ("groupId", "kind", "funnelId", "status", "entityId", "sourceId"):
        assert properties[name] == {"type": "keyword"}, name
    vector = properties[opensearch.VECTOR_FIELD]
    assert vector["type"] == "knn_vector"
    assert vector["dimension"] == 512
    assert vector["method"]["engine"] == "faiss"
    assert vector["method"]["name"] == "hnsw"


def test_a_group_user_scope_names_their_funnels_even_when_they_have_none():
    assert Scope(("grp_a",), funnel_ids=()).filter()["bool"]["filter"][-1] == {"terms": {"funnelId": []}}
    assert "must_not" in Scope(("grp_a",), exclude_entities=("x",)).filter()["bool"]


def test_the_centroid_is_a_unit_vector_between_its_points():
    middle = centroid([[1.0, 0.0], [0.0, 1.0]])

    assert middle == pytest.approx([2**-0.5, 2**-0.5])


def _hits(*scored: tuple[str, float]) -> list[Hit]:
    return [Hit(f"{entity}#{n}", score, {"entityId": entity}) for n, (entity, score) in enumerate(scored)]


def test_combining_scales_each_ranking_and_weighs_words_less_than_meaning():
    # Given b's second chunk also matching the words, below its first
    text = _hits(("a", 12.0), ("b", 2.0), ("b", 1.0))
    semantic = _hits(("b", 1.9), ("c", 1.5), ("a", 1.1))

    ranked = combine(text, semantic)

    # Then each entity comes once, scored by its best chunk in each answer
    combined = {hit.source["entityId"]: score for hit, score in ranked}
    assert [hit.source["entityId"] for hit, _ in ranked] == ["b", "c", "a"]
    weight = opensearch.HYBRID_TEXT_WEIGHT
    assert combined["a"] == pytest.approx(weight)  # best by words, worst by meaning
    assert combined["b"] == pytest.approx(1 - weight)  # worst by words, best by meaning
    assert combined["c"] == pytest.approx((1 - weight) * 0.5)
    # And an entity found by words keeps its text hit (the one with the words' highlight)
    assert ranked[2][0] is text[0]


def test_combining_with_one_answer_empty_keeps_the_others_order():
    semantic = _hits(("b", 1.9), ("c", 1.5))

    assert [hit.doc_id for hit, _ in combine([], semantic)] == ["b#0", "c#1"]
