"""Cursors are opaque and bound to the caller and query that produced them."""

import base64
import json

import pytest

from funnel_core.errors import BadRequest
from funnel_core.store.cursor import decode_cursor, encode_cursor

KEY = {"PK": {"S": "GROUP#grp_a"}, "SK": {"S": "THING#thg_1"}}


def test_round_trip_for_the_same_binding():
    cursor = encode_cursor(KEY, "alice|things|grp_a")
    assert cursor is not None
    assert decode_cursor(cursor, "alice|things|grp_a") == KEY


def test_no_last_key_means_no_cursor():
    assert encode_cursor(None, "alice") is None
    assert decode_cursor(None, "alice") is None


@pytest.mark.parametrize("other_binding", ["mallory|things|grp_a", "alice|things|grp_b", "alice|events|grp_a"])
def test_a_cursor_is_refused_for_another_caller_or_query(other_binding):
    cursor = encode_cursor(KEY, "alice|things|grp_a")
    with pytest.raises(BadRequest):
        decode_cursor(cursor, other_binding)


def test_a_forged_cursor_pointing_at_another_tenant_is_refused():
    cursor = encode_cursor(KEY, "alice|things|grp_a")
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    forged_key = json.dumps({"PK": {"S": "GROUP#grp_victim"}, "SK": {"S": "THING#thg_1"}}).encode()
    forged = base64.urlsafe_b64encode(raw[:16] + forged_key).decode().rstrip("=")
    with pytest.raises(BadRequest):
        decode_cursor(forged, "alice|things|grp_a")


@pytest.mark.parametrize("garbage", ["x", "!!!!", "a" * 40, base64.urlsafe_b64encode(b"\x00" * 16 + b"[1]").decode()])
def test_garbage_is_a_bad_request(garbage):
    with pytest.raises(BadRequest):
        decode_cursor(garbage, "alice")
