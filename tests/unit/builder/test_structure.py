"""A funnel's structure at the domain level: steps and elements in order 1..n, within the
group's limits, and a race with another writer retried rather than lost."""

from __future__ import annotations

import pytest

from funnel_core.builder import elements, funnels, steps
from funnel_core.builder.models.elements import ElementCreate, ElementOrder
from funnel_core.builder.models.steps import StepCreate, StepOrder
from funnel_core.builder.structure import Structure
from funnel_core.errors import LimitExceeded, NotFound, SlugTaken, ValidationFailed

HEADLINE = {"elementType": "headline", "settings": {"text": "Hello"}}


def _sequence(owner, group_id, funnel_id):
    return [(step.name, step.sequence) for step in funnels.service().get(owner, group_id, funnel_id).steps]


def test_steps_append_in_sequence_and_a_removal_closes_the_gap(group_id, owner, new_funnel):
    funnel = new_funnel(group_id, step_count=3)

    steps.service().remove(owner, group_id, funnel.funnelId, funnel.steps[1].stepId)

    assert _sequence(owner, group_id, funnel.funnelId) == [("Step 1", 1), ("Step 3", 2)]
    with pytest.raises(NotFound):
        steps.service().get(owner, group_id, funnel.funnelId, funnel.steps[1].stepId)


def test_a_reorder_must_list_every_step_once(group_id, owner, new_funnel):
    funnel = new_funnel(group_id, step_count=3)
    ids = [step.stepId for step in funnel.steps]

    with pytest.raises(ValidationFailed, match="every step of the funnel exactly once"):
        steps.service().reorder(owner, group_id, funnel.funnelId, StepOrder(stepIds=ids[:2]))
    reordered = steps.service().reorder(owner, group_id, funnel.funnelId, StepOrder(stepIds=ids[::-1]))

    assert [(step.stepId, step.sequence) for step in reordered.steps] == [(ids[2], 1), (ids[1], 2), (ids[0], 3)]


def test_elements_keep_their_positions_through_adds_removes_and_a_reorder(group_id, owner, new_funnel):
    funnel = new_funnel(group_id, step_count=1)
    step_id = funnel.steps[0].stepId
    made = [
        elements.service().add(owner, group_id, funnel.funnelId, step_id, ElementCreate(**HEADLINE)).elementId
        for _ in range(3)
    ]

    elements.service().remove(owner, group_id, funnel.funnelId, step_id, made[0])
    step = elements.service().reorder(owner, group_id, funnel.funnelId, step_id, ElementOrder(elementIds=made[:0:-1]))

    assert [(element.elementId, element.position) for element in step.elements] == [(made[2], 1), (made[1], 2)]


def test_the_groups_limits_hold(make_group, owner, new_funnel):
    group_id = make_group(maxStepsPerFunnel=2, maxElementsPerStep=1)
    funnel = new_funnel(group_id, step_count=2)

    with pytest.raises(LimitExceeded, match="at most 2 steps"):
        steps.service().add(owner, group_id, funnel.funnelId, StepCreate(name="Third", stepType="landing_page"))
    step_id = funnel.steps[0].stepId
    elements.service().add(owner, group_id, funnel.funnelId, step_id, ElementCreate(**HEADLINE))
    with pytest.raises(LimitExceeded, match="at most 1 elements"):
        elements.service().add(owner, group_id, funnel.funnelId, step_id, ElementCreate(**HEADLINE))


def test_a_step_added_by_another_writer_meanwhile_is_kept_and_ours_lands_after_it(
    group_id, owner, new_funnel, monkeypatch: pytest.MonkeyPatch
):
    # Given another writer that appends a step between our read of the funnel and our write
    funnel = new_funnel(group_id, step_count=1)
    real_load, raced = Structure.load, []

    def load_then_race(self, group, funnel_id):
        aggregate = real_load(self, group, funnel_id)
        if not raced:
            raced.append(True)
            monkeypatch.setattr(Structure, "load", real_load)
            steps.service().add(owner, group, funnel_id, StepCreate(name="Theirs", stepType="landing_page"))
        return aggregate

    monkeypatch.setattr(Structure, "load", load_then_race)

    # When we append ours on the stale read
    steps.service().add(owner, group_id, funnel.funnelId, StepCreate(name="Ours", stepType="landing_page"))

    # Then our write lost the race, was tried again, and both steps are there in order
    assert _sequence(owner, group_id, funnel.funnelId) == [("Step 1", 1), ("Theirs", 2), ("Ours", 3)]


def test_a_derived_step_slug_that_is_taken_gets_a_suffix_a_chosen_one_is_refused(group_id, owner, new_funnel):
    funnel = new_funnel(group_id, step_count=1)
    again = steps.service().add(owner, group_id, funnel.funnelId, StepCreate(name="Step 1", stepType="landing_page"))
    assert again.slug.startswith("step-1-")

    with pytest.raises(SlugTaken, match="slug 'step-1'"):
        steps.service().add(
            owner, group_id, funnel.funnelId, StepCreate(name="Other", slug="step-1", stepType="landing_page")
        )
