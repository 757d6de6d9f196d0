"""The embedders behind one interface: unit vectors, in order, of their declared dimension."""

from __future__ import annotations

import io
import json
import math
import threading

import pytest

from funnel_core.search.embeddings import TITAN_V2, HashingEmbedder, TitanEmbedder


def _norm(vector):
    return math.sqrt(sum(x * x for x in vector))


def test_the_hashing_embedder_is_deterministic_unit_length_and_word_sensitive():
    embedder = HashingEmbedder(64)

    first, again, related, unrelated = embedder.embed(
        ["free webinar registration", "free webinar registration", "webinar registration page", "buy shoes"]
    )

    assert first == again
    assert len(first) == 64
    assert _norm(first) == pytest.approx(1.0)
    assert _cosine(first, related) > _cosine(first, unrelated)


def _cosine(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


class _Bedrock:
    """InvokeModel as Bedrock answers it: one text a call, its embedding in the body."""

    def __init__(self, dimension):
        self.dimension = dimension
        self.calls = []
        self._lock = threading.Lock()

    def invoke_model(self, **request):
        body = json.loads(request["body"])
        with self._lock:
            self.calls.append((request["modelId"], body))
        value = float(len(body["inputText"]))
        vector = [value] + [0.0] * (body["dimensions"] - 1)
        return {"body": io.BytesIO(json.dumps({"embedding": [x / value for x in vector]}).encode())}


def test_titan_asks_for_normalized_vectors_of_its_dimension_one_text_a_call_in_order():
    bedrock = _Bedrock(256)
    embedder = TitanEmbedder(bedrock, 256)
    texts = ["a" * n for n in range(1, 20)]

    vectors = embedder.embed(texts)

    assert len(bedrock.calls) == len(texts)
    assert {model for model, _ in bedrock.calls} == {TITAN_V2}
    assert all(body["normalize"] is True and body["dimensions"] == 256 for _, body in bedrock.calls)
    assert [len(v) for v in vectors] == [256] * len(texts)
    assert embedder.embed(["x" * 60_000])
    assert len(bedrock.calls[-1][1]["inputText"]) == 50_000


def test_titan_refuses_a_dimension_it_does_not_make():
    with pytest.raises(ValueError, match="256, 512, 1024"):
        TitanEmbedder(_Bedrock(384), 384)
