"""What the search index holds: an item of the table made into the documents that find it.

One table item is one *source*: a knowledge item, a funnel, a step, a page element, a group
template, a product or another thing worth finding. A source becomes one document per chunk of
its text. Every document names the *entity* a result shows (a page element's is its step: a
visitor of the results wants the page, not the element) and carries what the search filters on
inside the query: the tenant, the kind, and the funnel a group_user must be assigned to.

Nothing here touches the index or the model; ``indexer`` does, with what this module decides.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from typing import Any

from funnel_core.builder.keys import ELEMENT, FUNNEL_META, GROUP_TEMPLATE, STEP
from funnel_core.ontology.keys import KNOWLEDGE, THING
from funnel_core.store.tenancy import GROUP_META

# The system templates' documents: a group of their own, which no tenant's id can be.
CATALOG_GROUP = "catalog"

KNOWLEDGE_KIND = "knowledge"
STEP_KIND = "funnel_step"
FUNNEL_KIND = "funnel"
TEMPLATE_KINDS = ("funnel_template", "page_template")
# Things that are people, money or machinery: never in a search index, whoever asks.
_UNSEARCHABLE_THING_TYPES = frozenset(
    {
        "person",
        "customer",
        "form_submission",
        "payment",
        "order",
        "stripe_account",
        "funnel_analytics",
        "ab_test",
        "custom_code",
        "funnel_domain",
    }
)
# The fields of properties and element settings that hold words a visitor reads.
_TEXT_KEYS = frozenset(
    {
        "name",
        "title",
        "headline",
        "subheadline",
        "description",
        "text",
        "content",
        "label",
        "buttonText",
        "submitText",
        "quote",
        "question",
        "answer",
        "authorName",
        "authorTitle",
        "metaTitle",
        "metaDescription",
        "successMessage",
        "tags",
        "items",
        "features",
        "benefits",
    }
)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")

# all-MiniLM-L6-v2 reads 256 word pieces and Titan V2 8,192 tokens: 180 words fit both, and an
# overlap of 30 keeps a sentence cut at a boundary whole in one of the two chunks.
CHUNK_WORDS = 180
CHUNK_OVERLAP = 30
MAX_CHUNKS = 64


@dataclass(frozen=True)
class Chunk:
    """A document of the index, before its vector."""

    doc_id: str
    source_id: str
    group_id: str
    kind: str
    entity_id: str
    title: str
    text: str
    chunk: int
    funnel_id: str | None = None
    status: str = "active"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def embedded_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title and self.title not in self.text else self.text

    def content_hash(self, model: str) -> str:
        """Changes exactly when the vector would: the words embedded, or the model embedding them."""
        return hashlib.sha256(f"{model}\x00{self.embedded_text}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Source:
    """A table item as the index sees it: its chunks, or none when it must not be found."""

    group_id: str
    source_id: str
    chunks: tuple[Chunk, ...]
    funnel_id: str | None = None
    # A funnel archived takes its steps and elements out of the results with it; a group
    # archived, everything of the group.
    removes_funnel: bool = False
    removes_group: bool = False


def plain_text(value: Any) -> str:
    """The words under the text fields of ``value`` (properties, settings), HTML stripped."""
    found: list[str] = []
    _collect(value, found, under_text=False)
    return _SPACE.sub(" ", " ".join(found)).strip()


def _collect(value: Any, found: list[str], *, under_text: bool) -> None:
    if isinstance(value, str):
        if under_text and not value.startswith(("http://", "https://", "#")):
            found.append(html.unescape(_TAG.sub(" ", value)))
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, found, under_text=key in _TEXT_KEYS)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found, under_text=under_text or isinstance(item, dict))


def chunked(text: str, words: int = CHUNK_WORDS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """``text`` in windows of ``words`` words, each starting ``words - overlap`` after the last."""
    tokens = text.split()
    if len(tokens) <= words:
        return [" ".join(tokens)] if tokens else []
    step = words - overlap
    windows = [" ".join(tokens[start : start + words]) for start in range(0, len(tokens) - overlap, step)]
    return windows[:MAX_CHUNKS]


def source_of(item: dict[str, Any]) -> Source | None:
    """What the index must hold for a table item as it is now; None for items search ignores.

    An archived item, or one no longer worth finding, is a source with no chunks: indexing it
    removes what the index had of it.
    """
    sort_key = str(item.get("SK", ""))
    group_id = item.get("groupId")
    if not isinstance(group_id, str) or "#FUNNELVERSIONS#" in str(item.get("PK", "")):
        return None
    if sort_key == GROUP_META:
        return Source(group_id, group_id, (), removes_group=True) if _archived(item) else None
    if sort_key.startswith(KNOWLEDGE):
        return _knowledge(group_id, item)
    if sort_key == FUNNEL_META:
        return _funnel(group_id, item)
    if sort_key.startswith(STEP):
        return _element(group_id, item) if ELEMENT in sort_key else _step(group_id, item)
    if sort_key.startswith(GROUP_TEMPLATE):
        return template_source(group_id, item)
    if sort_key.startswith(THING):
        return _thing(group_id, item)
    return None


def gone(item: dict[str, Any]) -> Source | None:
    """What the index must hold once a table item is deleted: nothing of it."""
    group_id = item.get("groupId")
    if item.get("SK") == GROUP_META and isinstance(group_id, str):
        return Source(group_id, group_id, (), removes_group=True)
    source = source_of(item)
    if source is None:
        return None
    return Source(source.group_id, source.source_id, (), source.funnel_id, removes_funnel=item.get("SK") == FUNNEL_META)


def _chunks(
    group_id: str,
    source_id: str,
    kind: str,
    entity_id: str,
    title: str,
    text: str,
    *,
    funnel_id: str | None = None,
    status: str = "active",
    extra: dict[str, Any] | None = None,
) -> tuple[Chunk, ...]:
    pieces = chunked(text) or ([title] if title else [])
    return tuple(
        Chunk(
            # Ids repeat across tenants only if a copy kept them; the group in the id keeps them apart.
            doc_id=f"{group_id}/{source_id}#{n}",
            source_id=source_id,
            group_id=group_id,
            kind=kind,
            entity_id=entity_id,
            title=title,
            text=piece,
            chunk=n,
            funnel_id=funnel_id,
            status=status,
            extra=extra or {},
        )
        for n, piece in enumerate(pieces)
    )


def _archived(item: dict[str, Any]) -> bool:
    return item.get("status") == "archived"


def _knowledge(group_id: str, item: dict[str, Any]) -> Source:
    knowledge_id = str(item["knowledgeId"])
    extra = {
        "knowledgeType": item.get("knowledgeType"),
        "labels": list(item.get("labels") or []),
        "sourceThingId": item.get("sourceThingId"),
    }
    text = str(item.get("text", ""))
    chunks = _chunks(group_id, knowledge_id, KNOWLEDGE_KIND, knowledge_id, "", text, extra=extra)
    return Source(group_id, knowledge_id, chunks)


def _funnel(group_id: str, item: dict[str, Any]) -> Source:
    funnel_id = str(item["funnelId"])
    if _archived(item):
        return Source(group_id, funnel_id, (), funnel_id, removes_funnel=True)
    name = str(item.get("name", ""))
    text = plain_text({"name": name, "properties": item.get("properties") or {}})
    status = str(item.get("status", "draft"))
    chunks = _chunks(group_id, funnel_id, FUNNEL_KIND, funnel_id, name, text, funnel_id=funnel_id, status=status)
    return Source(group_id, funnel_id, chunks, funnel_id)


def _step(group_id: str, item: dict[str, Any]) -> Source:
    step_id, funnel_id = str(item["stepId"]), str(item["funnelId"])
    name = str(item.get("name", ""))
    text = plain_text({"name": name, "properties": item.get("properties") or {}})
    extra = {"stepType": item.get("stepType")}
    chunks = _chunks(group_id, step_id, STEP_KIND, step_id, name, text, funnel_id=funnel_id, extra=extra)
    return Source(group_id, step_id, chunks, funnel_id)


def _element(group_id: str, item: dict[str, Any]) -> Source:
    element_id, step_id, funnel_id = str(item["elementId"]), str(item["stepId"]), str(item["funnelId"])
    text = plain_text({"content": item.get("settings") or {}})
    extra = {"elementType": item.get("elementType")}
    chunks = _chunks(group_id, element_id, STEP_KIND, step_id, "", text, funnel_id=funnel_id, extra=extra)
    return Source(group_id, element_id, chunks, funnel_id)


def template_source(group_id: str, template: dict[str, Any]) -> Source:
    """A template's summary, and for the system catalog its steps' and elements' words too."""
    template_id = str(template["templateId"])
    kind = f"{template.get('kind', 'funnel')}_template"
    name = str(template.get("name", ""))
    words = {
        "name": name,
        "description": template.get("description"),
        "tags": template.get("tags") or [],
        "content": [template.get("category"), *[s for s in [template.get("steps"), template.get("step")] if s]],
    }
    text = plain_text(words)
    extra = {"category": template.get("category"), "scope": template.get("scope", "group")}
    return Source(group_id, template_id, _chunks(group_id, template_id, kind, template_id, name, text, extra=extra))


def _thing(group_id: str, item: dict[str, Any]) -> Source | None:
    thing_type = str(item.get("type", ""))
    if thing_type in _UNSEARCHABLE_THING_TYPES or thing_type in (FUNNEL_KIND, STEP_KIND, "page_element"):
        return None
    thing_id = str(item["thingId"])
    if _archived(item):
        return Source(group_id, thing_id, ())
    name = str(item.get("name", ""))
    text = plain_text({"name": name, "properties": item.get("properties") or {}})
    status = str(item.get("status", "active"))
    return Source(group_id, thing_id, _chunks(group_id, thing_id, thing_type, thing_id, name, text, status=status))
