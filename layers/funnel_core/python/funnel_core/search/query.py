"""``GET /groups/{g}/search``: words (BM25), meaning (k-NN) or both, over what the caller may read.

Owners search the whole group; a group_user searches the funnels assigned to them (the filter is
inside the query); customers nothing. Each result is one entity (a funnel, a step, a template, a
product, a knowledge item...) however many of its chunks matched, scored by its best chunk.
Hybrid results are fused by reciprocal rank (``rrf``) unless the index combines them itself.
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

# Reciprocal rank fusion's constant (Cormack et al.): a result's share is 1 / (60 + rank).
RRF_K = 60
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


def fuse(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: each id scores the sum of 1 / (k + rank) over the rankings."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def combine(text: Sequence[tuple[str, float]], semantic: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """What OpenSearch's normalization processor does in the hybrid pipeline (``min_max``, then the
    ``arithmetic_mean`` weighted ``HYBRID_TEXT_WEIGHT`` for words), in code, for targets that run
    no search pipeline: each ranking's scores scaled to [0, 1], an id missing from one scoring 0
    there. Unlike rank fusion, a weak word match adds little to a strong match in meaning."""
    combined: dict[str, float] = {}
    for ranking, weight in ((text, HYBRID_TEXT_WEIGHT), (semantic, 1 - HYBRID_TEXT_WEIGHT)):
        if not ranking:
            continue
        scores = [score for _, score in ranking]
        low, span = min(scores), (max(scores) - min(scores)) or 1.0
        for item, score in ranking:
            combined[item] = combined.get(item, 0.0) + weight * (score - low) / span
    return sorted(combined.items(), key=lambda pair: (-pair[1], pair[0]))


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
        index = self.index()
        if mode is SearchMode.TEXT:
            return [(hit, hit.score) for hit in by_entity(index.text(words, scope, size)).values()]
        vector = self.embedder().embed([words])[0]
        if mode is SearchMode.SEMANTIC:
            return [(hit, hit.score) for hit in by_entity(index.knn(vector, scope, size)).values()]
        if self.hybrid_in_index:
            return [(hit, hit.score) for hit in by_entity(index.hybrid(words, vector, scope, size)).values()]
        text, semantic = by_entity(index.text(words, scope, size)), by_entity(index.knn(vector, scope, size))
        found = {**semantic, **text}
        scored = combine([(e, h.score) for e, h in text.items()], [(e, h.score) for e, h in semantic.items()])
        return [(found[entity], score) for entity, score in scored]

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
