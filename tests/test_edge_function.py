"""The CloudFront Function in template.yaml that puts a page visitor's A/B bucket in the cache
key, run in Node (the machine's; CloudFront's runtime is a JavaScript engine with the same
``crypto`` hashes): the bucket it works out is the one the origin works out, and the visitor id it
makes for a new visitor is the one it sets as their cookie."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from samtranslator.yaml_helper import yaml_parse

from funnel_core.pages import splits

TEMPLATE = Path(__file__).resolve().parents[1] / "template.yaml"
_RUN = """
%s
const events = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(events.map(e => handler(e))));
"""


def _run(events: list[dict]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the edge function (make deps installs it with Lighthouse's)")
    code = yaml_parse(TEMPLATE.read_text())["Resources"]["PublicPagesSplitFunction"]["Properties"]["FunctionCode"]
    done = subprocess.run(  # noqa: S603 - the machine's node on our own template's code
        [node, "-e", _RUN % code], input=json.dumps(events), capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def _request(event_type: str, request_id: str, cookies: dict | None = None, headers: dict | None = None) -> dict:
    event = {
        "version": "1.0",
        "context": {"eventType": event_type, "requestId": request_id},
        "viewer": {"ip": "198.51.100.7"},
        "request": {
            "method": "GET",
            "uri": "/p/acme/guide/opt-in",
            "querystring": {},
            "headers": {name: {"value": value} for name, value in (headers or {}).items()},
            "cookies": {name: {"value": value} for name, value in (cookies or {}).items()},
        },
    }
    if event_type == "viewer-response":
        event["response"] = {"statusCode": 200, "statusDescription": "OK", "headers": {}, "cookies": {}}
    return event


def _minted(request_id: str) -> str:
    digest = base64.b64encode(hashlib.sha256(request_id.encode()).digest()).decode()
    return "vis_" + digest.replace("+", "-").replace("/", "_")[:22]


def test_a_returning_visitors_bucket_is_the_origins():
    ids = [f"vis_{secrets.token_urlsafe(16)}" for _ in range(300)]
    answers = _run([_request("viewer-request", f"req-{n}", {"fvid": visitor}) for n, visitor in enumerate(ids)])
    edge = [int(answer["headers"]["x-visitor-bucket"]["value"]) for answer in answers]
    assert edge == [splits.bucket_of(visitor) for visitor in ids]
    assert len(set(edge)) > 50  # spread over the buckets, not one


def test_a_new_visitor_gets_the_id_their_bucket_was_made_from():
    request_ids = [secrets.token_urlsafe(24) for _ in range(50)]
    asked = _run([_request("viewer-request", request_id) for request_id in request_ids])
    answered = _run([_request("viewer-response", request_id) for request_id in request_ids])
    for request_id, request, response in zip(request_ids, asked, answered, strict=True):
        visitor = response["cookies"]["fvid"]["value"]
        assert visitor == _minted(request_id)
        assert int(request["headers"]["x-visitor-bucket"]["value"]) == splits.bucket_of(visitor)
        assert "SameSite=Lax" in response["cookies"]["fvid"]["attributes"]


def test_no_cookie_for_a_known_visitor_or_one_who_declines_tracking():
    known, private, dnt, forged = _run(
        [
            _request("viewer-response", "r1", {"fvid": f"vis_{'a' * 22}"}),
            _request("viewer-response", "r2", headers={"sec-gpc": "1"}),
            _request("viewer-response", "r3", headers={"dnt": "1"}),
            _request("viewer-response", "r4", {"fvid": "<script>"}),
        ]
    )
    assert known["cookies"] == {}
    assert private["cookies"] == {}
    assert dnt["cookies"] == {}
    assert forged["cookies"]["fvid"]["value"] == _minted("r4")  # not an id of ours: a new one
