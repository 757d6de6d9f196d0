"""``GET /groups/{g}/search``: words (BM25), meaning (k-NN) or both, over what the caller may read.

Owners search the whole group; a group_user searches the funnels assigned to them (the filter is
inside the query); customers nothing. Each result is one entity (a funnel, a step, a template, a
product, a knowledge item...) however many of its chunks matched, scored by its best chunk.
Hybrid scores are the text and k-NN scores min-max scaled and weighted (``combine``), in the
index's search pipeline where it runs one, in code otherwise (``SEARCH_HYBRID=code``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from funnel_core.builder.keys import funnel_key, step_key
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import BadRequest, FieldProblem, Forbidden, NotFound
from funnel_core.models.common import Page, Record
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.ontology.keys import membership_key
from funnel_core.ontology.models.members import Membership, Role
from funnel_core.search.documents import CATALOG_GROUP, FUNNEL_KIND, STEP_KIND
from funnel_core.search.embeddings import Embedder, embedder
from funnel_core.search.opensearch import HYBRID_TEXT_WEIGHT, Hit, Scope, SearchIndex, search_index
from funnel_core.search.settings import search_settings
from funnel_core.store.cursor import decode_cursor, encode_cursor
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Ref, Table

# How deep a query pages: the first 200 results, as a search box shows them.
MAX_RESULTS = 200
# Chunks read per result wanted: an entity's chunks collapse into one result.
_CHUNKS_PER_RESULT = 3
# Neighbouring chunks read for similar templates (at most 20 results, templates of up to ~10 chunks).
_SIMILAR_CHUNKS = 200


class SearchMode(StrEnum):
    TEXT = "text"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


class SearchHit(Record):
    id: str
    kind: str
    title: str | None = None
    score: float
    highlight: list[str]
    text: str
    funnelId: str | None = None
    knowledgeType: str | None = None
    labels: list[str] | None = None
    sourceThingId: str | None = None


def combine(
    text: Sequence[Hit], semantic: Sequence[Hit], text_weight: float = HYBRID_TEXT_WEIGHT
) -> list[tuple[Hit, float]]:
    """Hybrid ranking as OpenSearch's normalization processor does it in the hybrid pipeline
    (``min_max``, then the ``arithmetic_mean`` weighted ``text_weight`` for words), in code,
    for targets that run no search pipeline: one result per entity, each answer's scores scaled to
    [0, 1], an entity missing from one answer scoring 0 there. Unlike reciprocal rank fusion, a weak
    word match adds little to a strong match in meaning (docs/search.md)."""
    text_best, semantic_best = by_entity(text), by_entity(semantic)
    combined: dict[str, float] = {}
    for best, weight in ((text_best, text_weight), (semantic_best, 1 - text_weight)):
        if not best:
            continue
        scores = [hit.score for hit in best.values()]
        low, span = min(scores), (max(scores) - min(scores)) or 1.0
        for entity, hit in best.items():
            combined[entity] = combined.get(entity, 0.0) + weight * (hit.score - low) / span
    found = {**semantic_best, **text_best}
    return [(found[entity], score) for entity, score in sorted(combined.items(), key=lambda pair: (-pair[1], pair[0]))]


def centroid(vectors: Sequence[Sequence[float]]) -> list[float]:
    """The unit vector along the mean of ``vectors``: where a funnel's chunks are, together."""
    total = [sum(column) for column in zip(*vectors, strict=True)]
    norm = math.sqrt(sum(x * x for x in total)) or 1.0
    return [x / norm for x in total]


def by_entity(hits: Sequence[Hit]) -> dict[str, Hit]:
    """The best chunk of each entity, in rank order (hits come best first)."""
    best: dict[str, Hit] = {}
    for hit in hits:
        best.setdefault(str(hit.source.get("entityId", hit.doc_id)), hit)
    return best


def ranked(
    index: SearchIndex,
    embed: Callable[[], Embedder],
    words: str,
    scope: Scope,
    mode: SearchMode,
    size: int,
    *,
    hybrid_in_index: bool,
    text_weight: float = HYBRID_TEXT_WEIGHT,
) -> list[tuple[Hit, float]]:
    """The entities ``words`` find in ``scope``, best first, with their scores: what the service
    answers and what make bench's relevance set measures. The model loads only for meaning."""
    if mode is SearchMode.TEXT:
        return [(hit, hit.score) for hit in by_entity(index.text(words, scope, size)).values()]
    vector = embed().embed([words])[0]
    if mode is SearchMode.SEMANTIC:
        return [(hit, hit.score) for hit in by_entity(index.knn(vector, scope, size)).values()]
    if hybrid_in_index:
        return [(hit, hit.score) for hit in by_entity(index.hybrid(words, vector, scope, size)).values()]
    return combine(index.text(words, scope, size), index.knn(vector, scope, size), text_weight)


class Searcher:
    def __init__(
        self, store: Table, access: Authorizer, index: Callable[[], SearchIndex], embed: Callable[[], Embedder]
    ) -> None:
        self.table = store
        self.access = access
        self.index = index
        self.embedder = embed
        self.hybrid_in_index = search_settings().hybrid == "pipeline"

    def scope(self, caller: Caller, group_id: str, kinds: tuple[str, ...]) -> Scope:
        """What the caller may find in the group: everything for content readers, their funnels'
        funnels and steps for a group_user; 403 for anyone else."""
        membership = Ref.to(membership_key(group_id, caller.person_id), Membership)
        access = self.access.authorize(caller, group_id, Action.READ_GROUP, refs=[membership])
        if access.allows(Action.READ_CONTENT):
            return Scope((group_id,), kinds)
        if access.role is Role.GROUP_USER:
            member = access.found(membership)
            funnels = tuple(member.assignedTo) if member else ()
            allowed = (FUNNEL_KIND, STEP_KIND)
            return Scope((group_id,), tuple(k for k in kinds if k in allowed) if kinds else allowed, funnel_ids=funnels)
        raise Forbidden(f"your role ({access.role}) does not let you search the group's content")

    def search(
        self,
        caller: Caller,
        group_id: str,
        words: str,
        kinds: tuple[str, ...],
        mode: SearchMode,
        limit: int,
        cursor: str | None,
    ) -> Page[SearchHit]:
        if not words.strip():
            raise BadRequest("q: give the words to search for", [FieldProblem("q", "only blanks")])
        scope = self.scope(caller, group_id, kinds)
        page = page_request(caller.person_id, "search", limit, cursor, group=group_id, q=words, type=kinds, mode=mode)
        offset = int((decode_cursor(cursor, page.binding) or {}).get("offset", 0))
        if offset + limit > MAX_RESULTS:
            raise BadRequest(f"search pages through the first {MAX_RESULTS} results only", [])
        wanted = offset + limit + 1
        ranked = self._ranked(words, scope, mode, wanted * _CHUNKS_PER_RESULT)[:wanted]
        results = self._results(group_id, ranked[offset : offset + limit])
        more = len(ranked) > offset + limit
        next_cursor = encode_cursor({"offset": offset + limit}, page.binding) if more else None
        return Page[SearchHit](items=results, nextCursor=next_cursor)

    def similar_templates(
        self, caller: Caller, group_id: str, funnel_id: str, step_id: str | None, limit: int
    ) -> list[SearchHit]:
        """The templates, the group's own and the system catalog's, nearest in meaning to a funnel
        (funnel templates) or to one of its steps (page templates): the centroid of its chunks."""
        scope = self.scope(caller, group_id, ())
        if scope.funnel_ids is not None and funnel_id not in scope.funnel_ids:
            raise NotFound(f"funnel {funnel_id} not found")
        vectors = self.index().vectors(group_id, funnel_id, step_id)
        if not vectors:
            # Not indexed yet (the stream indexes a change within seconds), or not there at all.
            key = step_key(group_id, funnel_id, step_id) if step_id else funnel_key(group_id, funnel_id)
            if self.table.get(key) is None:
                raise NotFound(f"step {step_id} not found" if step_id else f"funnel {funnel_id} not found")
            return []
        kind = "page_template" if step_id else "funnel_template"
        templates = Scope((group_id, CATALOG_GROUP), (kind,))
        # A template's chunks crowd each other out of a page of neighbours: read enough of them.
        hits = self.index().knn(centroid(vectors), templates, _SIMILAR_CHUNKS)
        ranked = list(by_entity(hits).values())[:limit]
        return self._results(group_id, [(hit, hit.score) for hit in ranked])

    def _ranked(self, words: str, scope: Scope, mode: SearchMode, size: int) -> list[tuple[Hit, float]]:
        return ranked(self.index(), self.embedder, words, scope, mode, size, hybrid_in_index=self.hybrid_in_index)

    def _results(self, group_id: str, ranked: Sequence[tuple[Hit, float]]) -> list[SearchHit]:
        untitled = [str(hit.source.get("entityId")) for hit, _ in ranked if not hit.source.get("title")]
        titles = {
            source_id: first.get("title")
            for source_id, first in self.index().firsts(group_id, untitled).items()
            if first.get("title")
        }
        return [_hit(hit, score, titles) for hit, score in ranked]


def _hit(hit: Hit, score: float, titles: dict[str, Any]) -> SearchHit:
    source = hit.source
    entity = str(source.get("entityId", hit.doc_id))
    return SearchHit(
        id=entity,
        kind=str(source.get("kind", "")),
        title=source.get("title") or titles.get(entity),
        score=round(score, 6),
        highlight=hit.highlight,
        text=str(source.get("text", ""))[:300],
        funnelId=source.get("funnelId"),
        knowledgeType=source.get("knowledgeType"),
        labels=source.get("labels"),
        sourceThingId=source.get("sourceThingId"),
    )


@once
def service() -> Searcher:
    return Searcher(table(), authorizer(), search_index, embedder)
