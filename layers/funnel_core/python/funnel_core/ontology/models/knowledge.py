"""Knowledge: labels and text chunks, for search and retrieval."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from funnel_core.models.common import Body, Id, Record

Label = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_\-:]{0,63}$")]

LABEL_TEXT_MAX = 200
CHUNK_TEXT_MAX = 8000


class KnowledgeType(StrEnum):
    LABEL = "label"
    CHUNK = "chunk"


class KnowledgeCreate(Body):
    knowledgeType: KnowledgeType
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=CHUNK_TEXT_MAX)]
    labels: list[Label] = Field(default_factory=list, max_length=20)
    sourceThingId: Id | None = None

    @model_validator(mode="after")
    def _label_text_is_short(self) -> KnowledgeCreate:
        if self.knowledgeType is KnowledgeType.LABEL and len(self.text) > LABEL_TEXT_MAX:
            raise ValueError(f"a label's text is at most {LABEL_TEXT_MAX} characters")
        self.labels = list(dict.fromkeys(self.labels))
        return self


class Knowledge(Record):
    knowledgeId: str
    groupId: str
    knowledgeType: KnowledgeType
    text: str
    labels: list[str] = Field(default_factory=list)
    sourceThingId: str | None = None
    embeddingModel: str | None = None
    embeddingDim: int | None = None
    createdAt: str
    createdBy: str
