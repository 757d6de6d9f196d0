"""The table's changes into the index: a source's chunks embedded and written, only what changed.

A chunk is embedded again only when its content hash (its words and the model) is not among the
source's documents already indexed; a chunk whose words stayed keeps its vector. A change that
leaves every document as it was writes nothing, so a redelivered stream record is a no-op, and
one delivered again after a later change of the same item finds the later state already there
only if it is the same: records of one item arrive in order, so the last applied is the newest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from funnel_core.container import once
from funnel_core.ontology import knowledge
from funnel_core.search.documents import KNOWLEDGE_KIND, Chunk, Source, gone, source_of
from funnel_core.search.embeddings import Embedder, embedder
from funnel_core.search.opensearch import VECTOR_FIELD, SearchIndex, search_index
from funnel_core.store.codec import deserialize

if TYPE_CHECKING:
    from collections.abc import Iterable

    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


def document(chunk: Chunk, model: str, vector: list[float]) -> dict[str, Any]:
    """A chunk as the index stores it (the mapping in ``opensearch.mapping``)."""
    fields = {
        "groupId": chunk.group_id,
        "kind": chunk.kind,
        "entityId": chunk.entity_id,
        "sourceId": chunk.source_id,
        "funnelId": chunk.funnel_id,
        "status": chunk.status,
        "title": chunk.title,
        "text": chunk.text,
        "chunk": chunk.chunk,
        "contentHash": chunk.content_hash(model),
        "embeddingModel": model,
        **chunk.extra,
        VECTOR_FIELD: vector,
    }
    return {name: value for name, value in fields.items() if value is not None and value != []}


# Told which model embedded a knowledge item: (group, knowledge id, model, dimension).
RecordEmbedding = Callable[[str, str, str, int], object]


class Indexer:
    def __init__(self, index: SearchIndex, embedder: Embedder, record_embedding: RecordEmbedding) -> None:
        self.index = index
        self.embedder = embedder
        self.record_embedding = record_embedding

    def apply(self, source: Source) -> str:
        """Make the index hold exactly ``source``'s chunks; answers what it did."""
        if source.removes_group:
            removed = self.index.remove_where(source.group_id)
            return f"removed {removed} documents of group {source.group_id}"
        if source.removes_funnel:
            removed = self.index.remove_where(source.group_id, funnel_id=source.funnel_id)
            return f"removed {removed} documents of funnel {source.funnel_id}"
        stored = self.index.stored(source.group_id, source.source_id)
        vectors: dict[str, list[float]] = {doc.content_hash: doc.document[VECTOR_FIELD] for doc in stored}
        model = self.embedder.model
        missing = [chunk for chunk in source.chunks if chunk.content_hash(model) not in vectors]
        for chunk, vector in zip(missing, self.embedder.embed([c.embedded_text for c in missing]), strict=True):
            vectors[chunk.content_hash(model)] = vector
        wanted = {chunk.doc_id: document(chunk, model, vectors[chunk.content_hash(model)]) for chunk in source.chunks}
        kept = {doc.doc_id: doc.document for doc in stored}
        if _by_chunk(kept.values()) == _by_chunk(wanted.values()):
            return f"{source.source_id} unchanged"
        removals = [doc_id for doc_id in kept if not self.index.custom_ids or doc_id not in wanted]
        writes = [
            (doc_id, doc) for doc_id, doc in wanted.items() if not self.index.custom_ids or kept.get(doc_id) != doc
        ]
        self.index.write(removals, writes)
        if source.chunks and source.chunks[0].kind == KNOWLEDGE_KIND:
            self.record_embedding(source.group_id, source.source_id, model, self.embedder.dimension)
        return f"{source.source_id}: {len(missing)} embedded, {len(writes)} written, {len(removals)} removed"


def _by_chunk(documents: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(documents, key=lambda doc: int(doc.get("chunk", 0)))


def index_record(record: DynamoDBRecord) -> str:
    """One stream record: the item's new state indexed, or its documents removed."""
    images = record.raw_event.get("dynamodb") or {}
    if record.raw_event.get("eventName") == "REMOVE":
        source = gone(deserialize(images.get("OldImage") or {}))
    else:
        source = source_of(deserialize(images.get("NewImage") or {}))
    if source is None:
        return "not searchable"
    return indexer().apply(source)


@once
def indexer() -> Indexer:
    """The container's indexer, its index made first if the collection has none yet."""
    index, model = search_index(), embedder()
    index.ensure(model.dimension)
    return Indexer(index, model, knowledge.service().record_embedding)
