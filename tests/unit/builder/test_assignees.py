"""Group users and funnels at the domain level: only a group_user is assigned, they reach only
their funnels, and leaving the group ends their assignments."""

from __future__ import annotations

import pytest

from funnel_core.builder import assignees, funnels
from funnel_core.builder.models.funnels import FunnelUpdate
from funnel_core.errors import Forbidden, NotFound, ValidationFailed
from funnel_core.ontology import connections, members
from funnel_core.ontology.models.members import Role


@pytest.fixture
def user(person, owner, group_id):
    user = person()
    members.service().put(owner, group_id, user.person_id, Role.GROUP_USER)
    return user


def test_only_a_group_user_of_the_group_is_assigned(group_id, owner, person, new_funnel):
    funnel = new_funnel(group_id)
    other_owner, stranger = person(), person()
    members.service().put(owner, group_id, other_owner.person_id, Role.GROUP_OWNER)

    for who in (other_owner, stranger):
        with pytest.raises(ValidationFailed, match="only a group_user"):
            assignees.service().assign(owner, group_id, funnel.funnelId, who.person_id)


def test_a_group_user_reads_and_edits_the_funnels_assigned_to_them_only(group_id, owner, user, new_funnel):
    mine, theirs = new_funnel(group_id, name="Mine"), new_funnel(group_id, name="Theirs")
    assignees.service().assign(owner, group_id, mine.funnelId, user.person_id)

    assert [f.funnelId for f in funnels.service().list(user, group_id, None, 25, None).items] == [mine.funnelId]
    funnels.service().update(user, group_id, mine.funnelId, FunnelUpdate(version=1, name="Mine, edited"))
    with pytest.raises(Forbidden):
        funnels.service().get(user, group_id, theirs.funnelId)
    with pytest.raises(Forbidden):
        funnels.service().duplicate(user, group_id, mine.funnelId)


def test_removing_a_member_ends_their_assignments(group_id, owner, user, new_funnel):
    # Given a group user assigned to two funnels
    assigned = [new_funnel(group_id, name=f"F{n}") for n in range(2)]
    for funnel in assigned:
        assignees.service().assign(owner, group_id, funnel.funnelId, user.person_id)

    # When they are removed from the group
    members.service().remove(owner, group_id, user.person_id)

    # Then coming back gives them no funnel, and no assigned_to connection of theirs is left
    members.service().put(owner, group_id, user.person_id, Role.GROUP_USER)
    assert funnels.service().list(user, group_id, None, 25, None).items == []
    listed = connections.service().list_of(owner, group_id, user.person_id, "out", None, False, 25, None)
    assert listed.items == []


def test_removing_a_member_assigned_to_more_funnels_than_one_transaction_holds(
    group_id, owner, user, new_funnel, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("funnel_core.ontology.members._ENDED_WITH_REMOVAL", 2)
    assigned = [new_funnel(group_id, name=f"F{n}") for n in range(5)]
    for funnel in assigned:
        assignees.service().assign(owner, group_id, funnel.funnelId, user.person_id)

    members.service().remove(owner, group_id, user.person_id)

    members.service().put(owner, group_id, user.person_id, Role.GROUP_USER)
    listed = connections.service().list_of(owner, group_id, user.person_id, "out", None, False, 25, None)
    assert listed.items == []


def test_unassigning_twice_is_not_found(group_id, owner, user, new_funnel):
    funnel = new_funnel(group_id)
    assignees.service().assign(owner, group_id, funnel.funnelId, user.person_id)
    assignees.service().unassign(owner, group_id, funnel.funnelId, user.person_id)

    with pytest.raises(NotFound):
        assignees.service().unassign(owner, group_id, funnel.funnelId, user.person_id)
