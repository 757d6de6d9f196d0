"""Bad input over real HTTP never becomes a 500: each of what a fuzzer and hostile hands found is
a clear 4xx in the API's error body, and nothing is written."""

from __future__ import annotations

import json

import pytest
import requests

from tests.support.http_client import User, error_fields


@pytest.fixture
def group_id(owner) -> str:
    return owner.create_group()["groupId"]


def _post_raw(user: User, path: str, body: bytes, content_type: str | None = "application/json") -> requests.Response:
    headers = {"content-type": content_type} if content_type else {}
    return user.post(path, data=body, headers=headers)


def _things(user: User, group_id: str) -> list:
    return user.get(f"/groups/{group_id}/things").json()["items"]


@pytest.mark.parametrize(
    ("properties", "field"),
    [
        ({"": 1}, "properties."),
        ({"big": 1e200}, "properties.big"),
        ({"tiny": 1e-200}, "properties.tiny"),
        ({"digits": 10**38 + 1}, "properties.digits"),
    ],
)
def test_a_value_dynamodb_cannot_hold_is_a_422_at_its_field(owner, group_id, properties, field):
    response = owner.post(f"/groups/{group_id}/things", {"type": "note", "name": "N", "properties": properties})

    assert response.status_code == 422, response.text
    assert error_fields(response) == [field]
    assert _things(owner, group_id) == []


def test_nesting_deeper_than_dynamodb_holds_is_a_422(owner, group_id):
    deep: dict = {"leaf": 1}
    for _ in range(40):
        deep = {"a": deep}
    response = owner.post(f"/groups/{group_id}/things", {"type": "note", "name": "N", "properties": deep})

    assert response.status_code == 422, response.text
    assert "deeper than 31 levels" in response.json()["error"]["message"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_numbers_json_does_not_have_are_a_400_not_a_silent_null(owner, group_id, literal):
    body = f'{{"type": "note", "name": "N", "properties": {{"x": {literal}}}}}'.encode()
    response = _post_raw(owner, f"/groups/{group_id}/things", body)

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_json"
    assert _things(owner, group_id) == []


def test_json_nested_ten_thousand_deep_is_a_400(owner, group_id):
    body = ('{"type": "note", "name": "N", "properties": ' + '{"a": ' * 10_000 + "1" + "}" * 10_001).encode()
    response = _post_raw(owner, f"/groups/{group_id}/things", body)

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_json"


def test_a_lone_surrogate_is_a_400(owner, group_id):
    response = _post_raw(owner, f"/groups/{group_id}/things", b'{"type": "note", "name": "\\ud800"}')

    assert response.status_code == 400, response.text


@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_a_body_that_is_not_utf8_is_a_400(owner, group_id, content_type):
    response = _post_raw(owner, f"/groups/{group_id}/things", b'{"type": "note", "name": "\xff\xfe"}', content_type)

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_json"
    assert _things(owner, group_id) == []


def test_text_plain_is_a_415_in_the_apis_body(owner, group_id):
    response = _post_raw(owner, f"/groups/{group_id}/things", b'{"type": "note", "name": "N"}', "text/plain")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert error_fields(response) == ["Content-Type"]


def test_a_path_id_longer_than_any_key_takes_is_a_400(owner, group_id):
    response = owner.get(f"/groups/{group_id}/things/{'t' * 1100}")

    assert response.status_code == 400, response.text
    assert error_fields(response) == ["thingId"]


def test_a_token_whose_sub_cannot_be_a_key_is_a_401(api):
    response = User(api.url, person_id="p" * 2048).get("/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_non_ascii_text_is_counted_as_stored_not_as_escapes(owner, group_id):
    # 60,000 characters of three UTF-8 bytes each: 180 kB stored, over the 100 kB limit...
    over = owner.post(f"/groups/{group_id}/things", {"type": "note", "name": "N", "properties": {"t": "€" * 60_000}})
    # ... and 30,000 of them, 90 kB stored: within it (as \\u escapes it would be 180 kB).
    within = owner.post(f"/groups/{group_id}/things", {"type": "note", "name": "N", "properties": {"t": "€" * 30_000}})

    assert over.status_code == 413, over.text
    assert within.status_code == 201, within.text
    assert json.loads(json.dumps(within.json()))["properties"]["t"] == "€" * 30_000
