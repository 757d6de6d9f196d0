"""Where the index is, how it is reached and which model embeds: validated once per container."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from funnel_core.container import once


class SearchSettings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    # An OpenSearch Serverless collection's or a domain's endpoint (https://...), or the local
    # stack's (http://127.0.0.1:...). Unset: search is not deployed, and its routes say so (503).
    endpoint: str | None = Field(default=None, validation_alias="OPENSEARCH_ENDPOINT")
    # How requests are signed: SigV4 for OpenSearch Serverless (aoss) or a managed domain (es);
    # none for the local stack.
    service: Literal["aoss", "es", "none"] = Field(default="none", validation_alias="OPENSEARCH_SERVICE")
    index: str = Field(default="funnel-search", pattern=r"^[a-z0-9][a-z0-9_\-]{0,80}$", validation_alias="SEARCH_INDEX")
    embedding_provider: Literal["bedrock", "minilm", "hashing"] = Field(
        default="bedrock", validation_alias="EMBEDDING_PROVIDER"
    )
    embedding_dimension: int = Field(default=512, ge=8, le=4096, validation_alias="EMBEDDING_DIMENSION")
    # Hybrid ranking: OpenSearch's normalization processor in a search pipeline (domains from
    # 2.10), or the same min-max normalization of the text and the k-NN answers in code, for
    # OpenSearch Serverless, which runs no search pipelines, and the local engine (docs/search.md).
    hybrid: Literal["pipeline", "code"] = Field(default="code", validation_alias="SEARCH_HYBRID")
    # Make writes searchable before the request returns: the local stack and its tests. OpenSearch
    # Serverless refuses the parameter; it makes writes searchable within seconds by itself.
    refresh: bool = Field(default=False, validation_alias="OPENSEARCH_REFRESH")


@once
def search_settings() -> SearchSettings:
    return SearchSettings.model_validate(dict(os.environ))
