"""Groups and their members, at the domain level: who may do what, slugs, owners, archives."""

from __future__ import annotations

import pytest

from funnel_core.audit.events import EventType
from funnel_core.errors import Conflict, Forbidden, NotFound, SlugTaken
from funnel_core.ontology import events, groups, members
from funnel_core.ontology.models.groups import GroupCreate, GroupStatus, GroupUpdate
from funnel_core.ontology.models.members import Role


def _group(owner, name="Acme", **fields):
    return groups.service().create(owner, GroupCreate(name=name, type="business", **fields))


def test_the_creator_of_a_group_is_its_owner_and_the_trail_says_so(moto_table, person):
    # Given a signed-in person
    owner = person()

    # When they create a group
    group = _group(owner)

    # Then they are its owner, and the group's trail holds the creation and the membership
    assert [(m.personId, m.role) for m in members.service().list_members(owner, group.groupId, 25, None).items] == [
        (owner.person_id, Role.GROUP_OWNER)
    ]
    trail = events.service().list(owner, group.groupId, None, None, None, None, None, 25, None).items
    assert sorted(event.type for event in trail) == [EventType.ENTITY_CREATED, EventType.MEMBER_ADDED]


def test_a_derived_slug_that_is_taken_gets_a_suffix_a_chosen_one_is_refused(moto_table, person):
    owner = person()
    first = _group(owner)

    second = _group(owner)
    assert second.slug.startswith(f"{first.slug}-")

    with pytest.raises(SlugTaken):
        _group(owner, slug=first.slug)


def test_a_child_group_needs_an_owner_of_its_parent_and_a_parent_that_is_not_archived(moto_table, person):
    owner, user = person(), person()
    parent = _group(owner)
    members.service().put(owner, parent.groupId, user.person_id, Role.GROUP_USER)

    with pytest.raises(Forbidden):
        _group(user, name="Team", parentGroupId=parent.groupId)

    groups.service().archive(owner, parent.groupId)
    with pytest.raises(Conflict, match="archived"):
        _group(owner, name="Team", parentGroupId=parent.groupId)


def test_a_role_holds_in_every_descendant_and_strangers_learn_nothing(moto_table, person):
    # Given a grandchild of a group
    owner, stranger = person(), person()
    root = _group(owner)
    child = _group(owner, name="Child", parentGroupId=root.groupId)
    grandchild = _group(owner, name="Grandchild", parentGroupId=child.groupId)
    heir = person()
    members.service().put(owner, root.groupId, heir.person_id, Role.GROUP_OWNER)

    # Then the owner of the root reads it as an owner, and a stranger gets 404, not 403
    assert groups.service().get(heir, grandchild.groupId).groupId == grandchild.groupId
    with pytest.raises(NotFound):
        groups.service().get(stranger, grandchild.groupId)


def test_a_top_level_group_keeps_its_last_owner(moto_table, person):
    owner = person()
    group = _group(owner)

    with pytest.raises(Conflict, match="at least one group_owner"):
        members.service().remove(owner, group.groupId, owner.person_id)

    second = person()
    members.service().put(owner, group.groupId, second.person_id, Role.GROUP_OWNER)
    members.service().remove(owner, group.groupId, owner.person_id)  # now there is another
    assert groups.service().get(second, group.groupId).ownerCount == 1


def test_only_a_platform_owner_suspends_and_an_archived_group_is_restored_by_an_update(moto_table, person):
    owner, platform = person(), person(platform_owner=True)
    group = _group(owner)

    with pytest.raises(Forbidden):
        groups.service().update(owner, group.groupId, GroupUpdate(version=1, status=GroupStatus.SUSPENDED))
    suspended = groups.service().update(platform, group.groupId, GroupUpdate(version=1, status=GroupStatus.SUSPENDED))
    assert suspended.status is GroupStatus.SUSPENDED

    archived = groups.service().archive(owner, group.groupId)
    restored = groups.service().update(owner, group.groupId, GroupUpdate(version=archived.version, status="active"))
    assert restored.status is GroupStatus.ACTIVE


def test_nothing_is_written_into_an_archived_group(moto_table, person):
    owner, newcomer = person(), person()
    group = _group(owner)
    groups.service().archive(owner, group.groupId)

    with pytest.raises(Conflict, match="archived"):
        members.service().put(owner, group.groupId, newcomer.person_id, Role.GROUP_USER)
