"""Which arm of a running A/B test a visitor is served: sticky and deterministic.

A visitor falls in one of 100 buckets by a hash of their visitor id alone (so the edge can work
it out from the cookie, ``template.yaml``'s ``PublicPagesSplitFunction``, without knowing the
tests), and each test deals the 100 buckets out to its arms in an order of its own (buckets
sorted by a hash of the test id and the bucket), the first ``weights[0]`` to the control and so
on. So the arm is a function of the visitor id and the test id, its share is the weight exactly
(weights are whole percentages), and two tests of one funnel split the same visitors
independently."""

from __future__ import annotations

import hashlib

BUCKETS = 100


def bucket_of(visitor_id: str) -> int:
    """The visitor's bucket: the first 32 bits of the SHA-256 of their id, modulo 100 (what the
    edge function computes with CloudFront's ``crypto``)."""
    return int(hashlib.sha256(visitor_id.encode()).hexdigest()[:8], 16) % BUCKETS


def deal(test_id: str, weights: list[int]) -> str:
    """For each bucket 0..99, the index of the arm the test serves it, as 100 digits."""
    order = sorted(range(BUCKETS), key=lambda bucket: hashlib.sha256(f"{test_id}:{bucket}".encode()).digest())
    arms = [0] * BUCKETS
    start = 0
    for arm, weight in enumerate(weights):
        for bucket in order[start : start + weight]:
            arms[bucket] = arm
        start += weight
    return "".join(str(arm) for arm in arms)


def parse_bucket(header: str | None) -> int | None:
    """The bucket the edge put in ``X-Visitor-Bucket``, if it is one."""
    if header is None or not header.isdigit() or len(header) > 2:
        return None
    return int(header)
