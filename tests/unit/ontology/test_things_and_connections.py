"""Things and connections at the domain level: typed properties, versions, connections that end
with the things they join, and who may list a person's connections."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from funnel_core.audit.events import EventType
from funnel_core.errors import Conflict, NotFound, ValidationFailed, VersionConflict
from funnel_core.ontology import connections, events, groups, members, things
from funnel_core.ontology.connections import ENDED_PER_CHANGE
from funnel_core.ontology.models.connections import ConnectionCreate
from funnel_core.ontology.models.groups import GroupCreate
from funnel_core.ontology.models.members import Role
from funnel_core.ontology.models.things import ThingCreate, ThingStatus, ThingUpdate


@pytest.fixture
def owner(person):
    return person()


@pytest.fixture
def group_id(moto_table, owner):
    return groups.service().create(owner, GroupCreate(name="Acme", type="business")).groupId


def _thing(owner, group_id, name="Note"):
    return things.service().create(owner, group_id, ThingCreate(type="note", name=name))


def _connect(owner, group_id, a, b, relationship="mentions"):
    body = ConnectionCreate(fromThingId=a.thingId, toThingId=b.thingId, relationshipType=relationship)
    return connections.service().create(owner, group_id, body)


def _live(owner, group_id, thing, direction="out"):
    page = connections.service().list_of(owner, group_id, thing.thingId, direction, None, False, 100, None)
    return page.items


def test_funnel_builder_types_are_refused_on_the_generic_route(group_id, owner):
    with pytest.raises(ValidationFailed, match=r"written through /groups/\{groupId\}/funnels"):
        things.service().create(owner, group_id, ThingCreate(type="funnel", name="Nope"))


def test_a_customer_is_validated_by_its_type_and_a_note_is_free_form(group_id, owner):
    with pytest.raises(ValidationFailed) as refused:
        things.service().create(owner, group_id, ThingCreate(type="customer", name="Jo", properties={"email": "no"}))
    assert [problem.field for problem in refused.value.fields] == ["properties.email"]
    note = things.service().create(owner, group_id, ThingCreate(type="note", name="N", properties={"any": [1, "x"]}))
    assert note.properties == {"any": [1, "x"]}


@pytest.mark.parametrize(
    ("properties", "where"),
    [
        ({"": 1}, ("properties", "")),
        ({"big": 1e200}, ("properties", "big")),
        ({"tiny": 1e-200}, ("properties", "tiny")),
        ({"digits": 10**39 + 1}, ("properties", "digits")),
        ({"nan": float("nan")}, ("properties", "nan")),
    ],
)
def test_a_value_dynamodb_cannot_hold_is_refused_at_its_place(properties, where):
    with pytest.raises(ValidationError) as refused:
        ThingCreate(type="note", name="N", properties=properties)
    assert [error["loc"] for error in refused.value.errors()] == [where]


def test_properties_nested_deeper_than_dynamodb_allows_are_refused():
    deep: dict = {}
    for _ in range(40):
        deep = {"a": deep}
    with pytest.raises(ValidationError, match="deeper than 31 levels"):
        ThingCreate(type="note", name="N", properties=deep)


def test_a_stale_version_is_a_conflict_and_changes_nothing(group_id, owner):
    thing = _thing(owner, group_id)
    things.service().update(owner, group_id, thing.thingId, ThingUpdate(version=1, name="Renamed"))

    with pytest.raises(VersionConflict):
        things.service().update(owner, group_id, thing.thingId, ThingUpdate(version=1, name="Lost"))
    assert things.service().get(owner, group_id, thing.thingId).name == "Renamed"


def test_archiving_a_thing_ends_its_live_connections_both_ways(group_id, owner):
    # Given a thing connected to one thing and from another
    hub, out, into = _thing(owner, group_id, "Hub"), _thing(owner, group_id, "Out"), _thing(owner, group_id, "In")
    _connect(owner, group_id, hub, out)
    _connect(owner, group_id, into, hub)

    # When it is archived
    archived = things.service().archive(owner, group_id, hub.thingId)

    # Then both connections ended with it, each with its own event, and none lists as live
    assert archived.status is ThingStatus.ARCHIVED
    assert _live(owner, group_id, out, "in") == []
    assert _live(owner, group_id, into, "out") == []
    ended = events.service().list(owner, group_id, EventType.CONNECTION_ENDED, None, None, None, None, 25, None)
    assert len(ended.items) == 2
    # And nothing connects to it any more
    with pytest.raises(ValidationFailed, match="archived"):
        _connect(owner, group_id, out, hub, "again")


def test_archiving_a_thing_with_more_connections_than_one_transaction_holds_ends_them_all(group_id, owner):
    hub = _thing(owner, group_id, "Hub")
    # one more than a change ends beside the archive, so two changes end them
    others = [_thing(owner, group_id, f"T{n}") for n in range(ENDED_PER_CHANGE + 1)]
    for other in others:
        _connect(owner, group_id, hub, other)

    things.service().archive(owner, group_id, hub.thingId)

    assert all(_live(owner, group_id, other, "in") == [] for other in others)


def test_a_connection_is_live_once_per_relationship_and_never_to_itself(group_id, owner):
    a, b = _thing(owner, group_id, "A"), _thing(owner, group_id, "B")
    first = _connect(owner, group_id, a, b)

    with pytest.raises(Conflict, match="already exists"):
        _connect(owner, group_id, a, b)
    with pytest.raises(ValidationFailed, match="itself"):
        _connect(owner, group_id, a, a)

    connections.service().end(owner, group_id, first.connectionId)
    assert _connect(owner, group_id, a, b).connectionId != first.connectionId  # ended: it may be made again


def test_a_person_whose_role_is_inherited_lists_their_own_connections(moto_table, person):
    # Given an owner of a parent group, who holds no membership in its child
    owner = person()
    parent = groups.service().create(owner, GroupCreate(name="Parent", type="business"))
    child = groups.service().create(owner, GroupCreate(name="Child", type="team", parentGroupId=parent.groupId))
    heir = person()
    members.service().put(owner, parent.groupId, heir.person_id, Role.GROUP_OWNER)

    # When they list their own connections in the child, and someone else's
    mine = connections.service().list_of(heir, child.groupId, heir.person_id, "out", None, False, 25, None)

    # Then theirs list (none yet), and a stranger to the child is not found
    assert mine.items == []
    with pytest.raises(NotFound):
        connections.service().list_of(heir, child.groupId, "someone-else", "out", None, False, 25, None)
