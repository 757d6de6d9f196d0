"""The local k-NN engine: faiss HNSW, as OpenSearch's k-NN plugin builds it for a ``knn_vector``
field with ``"engine": "faiss"``, one graph per index.

faiss graphs cannot forget a vector, so a document written again gets a new label and its old
one is dropped from the live set; every search is restricted to live labels (and, with a
filter, to the labels the filter allowed) *while* the graph is walked, as OpenSearch's
efficient filtering does. When the filter leaves no more documents than ``k``, or the walk
found fewer than ``k`` of them, the allowed documents are searched exactly, as OpenSearch does.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import faiss
import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

SPACES = ("innerproduct", "l2", "cosinesimil")


@dataclass(frozen=True)
class VectorField:
    """A ``knn_vector`` field's mapping, as far as searching it goes."""

    name: str
    dimension: int
    space_type: str = "l2"
    m: int = 16
    ef_construction: int = 100
    ef_search: int = 100


def score(space_type: str, raw: float) -> float:
    """OpenSearch's score for faiss's raw answer (its k-NN documentation's score table)."""
    if space_type == "l2":
        return 1.0 / (1.0 + raw)
    if space_type == "cosinesimil":
        return (1.0 + raw) / 2.0
    return raw + 1.0 if raw >= 0 else 1.0 / (1.0 - raw)


@dataclass
class VectorIndex:
    spec: VectorField
    _labels: list[str] = field(default_factory=list)
    _live: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        metric = faiss.METRIC_L2 if self.spec.space_type == "l2" else faiss.METRIC_INNER_PRODUCT
        self._graph = faiss.IndexHNSWFlat(self.spec.dimension, self.spec.m, metric)
        self._graph.hnsw.efConstruction = self.spec.ef_construction
        # Every vector by label, for exact search over a filter's few documents.
        self._flat = np.zeros((0, self.spec.dimension), dtype="float32")

    def __len__(self) -> int:
        return len(self._live)

    def _prepared(self, vectors: Sequence[Sequence[float]]) -> np.ndarray:
        array = np.asarray(vectors, dtype="float32").reshape(-1, self.spec.dimension)
        if self.spec.space_type == "cosinesimil":
            faiss.normalize_L2(array)
        return array

    def put(self, documents: Iterable[tuple[str, Sequence[float]]]) -> None:
        pairs = list(documents)
        if not pairs:
            return
        array = self._prepared([vector for _, vector in pairs])
        with self._lock:
            first = len(self._labels)
            self._graph.add(array)
            self._flat = np.vstack([self._flat, array])
            for offset, (doc_id, _) in enumerate(pairs):
                self._labels.append(doc_id)
                self._live[doc_id] = first + offset

    def remove(self, doc_ids: Iterable[str]) -> None:
        with self._lock:
            for doc_id in doc_ids:
                self._live.pop(doc_id, None)

    def search(
        self, vector: Sequence[float], k: int, *, allowed: set[str] | None = None, ef_search: int | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` nearest live documents (of ``allowed``, when given), best first, scored."""
        query = self._prepared([vector])
        with self._lock:
            # Every document, none replaced or removed: the graph is walked unfiltered, without
            # naming each label (at 100,000 documents, that list cost more than the walk).
            labels = (
                None
                if allowed is None and len(self._live) == len(self._labels)
                else [label for doc_id, label in self._live.items() if allowed is None or doc_id in allowed]
            )
            count = len(self._labels) if labels is None else len(labels)
            if not count:
                return []
            found = [] if count <= k else self._walk(query, labels, k, max(ef_search or self.spec.ef_search, k))
            if len(found) < k:
                found = self._exact(query, list(range(count)) if labels is None else labels, k)
            return [(self._labels[label], score(self.spec.space_type, raw)) for label, raw in found]

    def _walk(self, query: np.ndarray, labels: list[int] | None, k: int, ef: int) -> list[tuple[int, float]]:
        selector = None if labels is None else faiss.IDSelectorBatch(np.asarray(labels, dtype="int64"))
        # faiss's type stubs lag its SWIG module, which has SearchParametersHNSW.
        params = faiss.SearchParametersHNSW(efSearch=ef, sel=selector)  # type: ignore[attr-defined]
        distances, found = self._graph.search(query, k, params=params)
        return [(int(label), float(raw)) for label, raw in zip(found[0], distances[0], strict=True) if label >= 0]

    def _exact(self, query: np.ndarray, labels: list[int], k: int) -> list[tuple[int, float]]:
        candidates = self._flat[labels]
        if self.spec.space_type == "l2":
            raw = ((candidates - query) ** 2).sum(axis=1)
            order = np.argsort(raw)[:k]
        else:
            raw = candidates @ query[0]
            order = np.argsort(-raw)[:k]
        return [(labels[int(i)], float(raw[int(i)])) for i in order]


def recall_at(approximate: Sequence[Sequence[int]], exact: Sequence[Sequence[int]]) -> float:
    """The share of the exact k nearest that the approximate search found, over all queries."""
    hits = sum(len(set(a) & set(e)) for a, e in zip(approximate, exact, strict=True))
    total = sum(len(e) for e in exact)
    return hits / total if total else math.nan
