"""Values survive the trip through DynamoDB's types; ids sort by creation time."""

import time

from funnel_core.ids import new_id
from funnel_core.store.codec import deserialize, serialize
from funnel_core.validation import slugify


def test_numbers_and_nested_values_round_trip():
    item = {"strength": 0.35, "count": 3, "nested": {"price": 19.99, "tags": ["a", "b"], "on": True}, "empty": None}
    assert deserialize(serialize(item)) == {
        "strength": 0.35,
        "count": 3,
        "nested": {"price": 19.99, "tags": ["a", "b"], "on": True},
    }


def test_ids_are_prefixed_and_time_ordered():
    first = new_id("thg")
    time.sleep(0.002)
    second = new_id("thg")
    assert first.startswith("thg_")
    assert len(first) == 30
    assert first < second


def test_ids_made_in_the_same_millisecond_keep_their_order():
    made = [new_id("evt") for _ in range(1000)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)


def test_slugs_are_derived_from_names():
    assert slugify("Acme Inc.", fallback="group") == "acme-inc"
    assert slugify("Café  Déjà Vu!", fallback="group") == "cafe-deja-vu"
    assert slugify("!!!", fallback="funnel") == "funnel"
    assert len(slugify("x" * 300, fallback="group")) == 63
