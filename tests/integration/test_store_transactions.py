"""The unit of work against DynamoDB Local: conditions fail as the precise domain error, and a
failed transaction writes nothing."""

from __future__ import annotations

import pytest

from funnel_core.errors import Conflict, SlugTaken, VersionConflict
from funnel_core.ids import new_id, now_iso
from funnel_core.ontology.models.groups import Group, GroupStatus, GroupType
from funnel_core.ontology.store.groups import GroupStore
from funnel_core.store.default import table


def _group(**overrides) -> Group:
    at = now_iso()
    fields = {
        "groupId": new_id("grp"),
        "name": "Co",
        "slug": f"co-{new_id('s')[-10:].lower()}",
        "type": GroupType.BUSINESS,
        "ownerCount": 1,
        "createdAt": at,
        "updatedAt": at,
        "createdBy": "p1",
    }
    return Group(**{**fields, **overrides})


@pytest.fixture
def store(integration) -> GroupStore:
    return GroupStore(table())


def _commit(store: GroupStore, group: Group, write) -> None:
    """One change of the group, as the rules make them."""
    with store.table.change("p1", group.groupId) as change:
        write(change)


def test_a_taken_slug_cancels_the_whole_transaction(store):
    first = _group()
    _commit(store, first, lambda change: store.add(change, first))

    second = _group(slug=first.slug)
    with pytest.raises(SlugTaken):
        _commit(store, second, lambda change: store.add(change, second))
    assert store.get(second.groupId) is None  # the group item of the failed transaction is not there


def test_a_stale_version_is_a_version_conflict(store):
    group = _group()
    _commit(store, group, lambda change: store.add(change, group))

    with pytest.raises(VersionConflict):
        _commit(
            store,
            group,
            lambda change: store.replace(
                change, group.model_copy(update={"name": "New", "version": 3}), expected_version=2
            ),
        )
    assert store.get(group.groupId).name == "Co"


def test_an_owner_change_on_a_group_archived_meanwhile_names_the_archive(store):
    group = _group()
    _commit(store, group, lambda change: store.add(change, group))
    archived = group.model_copy(update={"status": GroupStatus.ARCHIVED, "version": 2})
    _commit(store, archived, lambda change: store.replace(change, archived, expected_version=1))

    # The caller still holds the group as it was before the archive
    with pytest.raises(Conflict, match="archived"):
        _commit(store, group, lambda change: store.adjust_owner_count(change, group, +1))


def test_the_last_owner_of_a_top_level_group_stays(store):
    group = _group()
    _commit(store, group, lambda change: store.add(change, group))

    with pytest.raises(Conflict, match="at least one group_owner"):
        _commit(store, group, lambda change: store.adjust_owner_count(change, group, -1))
    assert store.get(group.groupId).ownerCount == 1


def test_a_group_edit_never_rolls_back_a_concurrent_owner_change(store):
    group = _group()
    _commit(store, group, lambda change: store.add(change, group))

    # Given a second owner added after the editor read the group
    _commit(store, group, lambda change: store.adjust_owner_count(change, group, +1))

    # When the editor saves the group as they read it (ownerCount 1), at its unchanged version
    _commit(
        store,
        group,
        lambda change: store.replace(
            change, group.model_copy(update={"name": "Renamed", "version": 2}), expected_version=1
        ),
    )

    # Then the edit landed and the owner count is still the concurrent change's
    stored = store.get(group.groupId)
    assert stored.name == "Renamed"
    assert stored.ownerCount == 2
