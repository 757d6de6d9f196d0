"""The unit of work against DynamoDB Local: conditions fail as the precise domain error, and a
failed transaction writes nothing."""

from __future__ import annotations

import pytest

from funnel_core.errors import Conflict, SlugTaken, VersionConflict
from funnel_core.ids import new_id, now_iso
from funnel_core.models.groups import Group, GroupStatus, GroupType
from funnel_core.store.ontology import OntologyStore


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
def store(integration) -> OntologyStore:
    return OntologyStore()


def test_a_taken_slug_cancels_the_whole_transaction(store):
    first = _group()
    uow = store.unit_of_work()
    uow.add_group(first)
    uow.commit()

    second = _group(slug=first.slug)
    uow = store.unit_of_work()
    uow.add_group(second)
    with pytest.raises(SlugTaken):
        uow.commit()
    assert store.get_group(second.groupId) is None  # the group item of the failed transaction is not there


def test_a_stale_version_is_a_version_conflict(store):
    group = _group()
    uow = store.unit_of_work()
    uow.add_group(group)
    uow.commit()

    uow = store.unit_of_work()
    uow.replace_group(group.model_copy(update={"name": "New", "version": 3}), expected_version=2)
    with pytest.raises(VersionConflict):
        uow.commit()
    assert store.get_group(group.groupId).name == "Co"


def test_an_owner_change_on_a_group_archived_meanwhile_names_the_archive(store):
    group = _group()
    uow = store.unit_of_work()
    uow.add_group(group)
    uow.commit()
    archived = group.model_copy(update={"status": GroupStatus.ARCHIVED, "version": 2})
    uow = store.unit_of_work()
    uow.replace_group(archived, expected_version=1)
    uow.commit()

    # The caller still holds the group as it was before the archive
    uow = store.unit_of_work()
    uow.adjust_owner_count(group, +1)
    with pytest.raises(Conflict, match="archived"):
        uow.commit()


def test_the_last_owner_of_a_top_level_group_stays(store):
    group = _group()
    uow = store.unit_of_work()
    uow.add_group(group)
    uow.commit()

    uow = store.unit_of_work()
    uow.adjust_owner_count(group, -1)
    with pytest.raises(Conflict, match="at least one group_owner"):
        uow.commit()
    assert store.get_group(group.groupId).ownerCount == 1


def test_a_group_edit_never_rolls_back_a_concurrent_owner_change(store):
    group = _group()
    uow = store.unit_of_work()
    uow.add_group(group)
    uow.commit()

    # Given a second owner added after the editor read the group
    uow = store.unit_of_work()
    uow.adjust_owner_count(group, +1)
    uow.commit()

    # When the editor saves the group as they read it (ownerCount 1), at its unchanged version
    uow = store.unit_of_work()
    uow.replace_group(group.model_copy(update={"name": "Renamed", "version": 2}), expected_version=1)
    uow.commit()

    # Then the edit landed and the owner count is still the concurrent change's
    stored = store.get_group(group.groupId)
    assert stored.name == "Renamed"
    assert stored.ownerCount == 2
