"""A funnel's states at the domain level: published versions, unpublish, rollback, archive, and
the group's funnel limit."""

from __future__ import annotations

import pytest

from funnel_core.builder import funnels, lifecycle, publishing, steps
from funnel_core.builder.models.aggregate import FunnelStatus
from funnel_core.builder.models.funnels import FunnelCreate, FunnelUpdate
from funnel_core.builder.models.steps import StepUpdate
from funnel_core.errors import LimitExceeded, NameTaken, ValidationFailed
from funnel_core.ontology import groups


def test_a_funnel_without_steps_is_not_published(group_id, owner, new_funnel):
    funnel = new_funnel(group_id)
    with pytest.raises(ValidationFailed, match="at least one step"):
        lifecycle.service().publish(owner, group_id, funnel.funnelId)


def test_a_published_version_is_frozen_while_the_draft_moves_on(group_id, owner, new_funnel):
    # Given a funnel published as version 1
    funnel = new_funnel(group_id, step_count=1)
    first = lifecycle.service().publish(owner, group_id, funnel.funnelId)
    step = funnel.steps[0]

    # When its draft changes and is published again
    steps.service().update(owner, group_id, funnel.funnelId, step.stepId, StepUpdate(version=1, name="Renamed"))
    second = lifecycle.service().publish(owner, group_id, funnel.funnelId)

    # Then version 1 still holds the old step, version 2 the new one, and 2 is live
    assert (first.version, second.version) == (1, 2)
    versions = publishing.service()
    assert versions.read(owner, group_id, funnel.funnelId, 1).steps[0].name == "Step 1"
    assert versions.read(owner, group_id, funnel.funnelId, 2).steps[0].name == "Renamed"
    listed = versions.list(owner, group_id, funnel.funnelId, 25, None).items
    assert {(v.version, v.live) for v in listed} == {(1, False), (2, True)}


def test_unpublish_takes_it_down_and_restore_makes_a_version_live_again(group_id, owner, new_funnel):
    funnel = new_funnel(group_id, step_count=1)
    lifecycle.service().publish(owner, group_id, funnel.funnelId)

    draft = lifecycle.service().unpublish(owner, group_id, funnel.funnelId)
    assert (draft.status, draft.liveVersion) == (FunnelStatus.DRAFT, None)

    lifecycle.service().restore(owner, group_id, funnel.funnelId, 1)
    live = funnels.service().get(owner, group_id, funnel.funnelId)
    assert (live.status, live.liveVersion) == (FunnelStatus.PUBLISHED, 1)


def test_archiving_frees_the_name_and_the_funnel_count_and_stops_edits(make_group, owner, new_funnel):
    # Given a group that holds one funnel at most, and that funnel
    group_id = make_group(maxFunnels=1)
    funnel = new_funnel(group_id, name="Only one")
    with pytest.raises(LimitExceeded, match="limit of 1 funnels"):
        funnels.service().create(owner, group_id, FunnelCreate(name="Second"))

    # When it is archived
    archived = lifecycle.service().archive(owner, group_id, funnel.funnelId)

    # Then it cannot be edited, and its name and its place are free for a new funnel
    assert archived.status is FunnelStatus.ARCHIVED
    with pytest.raises(ValidationFailed, match="archived"):
        funnels.service().update(owner, group_id, funnel.funnelId, FunnelUpdate(version=archived.version, name="X"))
    assert funnels.service().create(owner, group_id, FunnelCreate(name="Only one")).name == "Only one"
    assert groups.service().get(owner, group_id).funnelCount == 1


def test_funnel_names_are_unique_in_a_group_whatever_their_case(group_id, owner, new_funnel):
    new_funnel(group_id, name="Free Guide")
    with pytest.raises(NameTaken):
        funnels.service().create(owner, group_id, FunnelCreate(name="free guide", slug="other"))


def test_a_duplicate_is_numbered_when_its_copy_name_is_taken(group_id, owner, new_funnel):
    funnel = new_funnel(group_id, step_count=2)

    first = funnels.service().duplicate(owner, group_id, funnel.funnelId)
    second = funnels.service().duplicate(owner, group_id, funnel.funnelId)

    assert (first.name, second.name) == ("Free guide (Copy)", "Free guide (Copy) 2")
    assert [step.slug for step in second.steps] == [step.slug for step in funnel.steps]
    assert not {step.stepId for step in second.steps} & {step.stepId for step in funnel.steps}
