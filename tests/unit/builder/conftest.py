"""A group with an owner, for the builder's domain tests."""

from __future__ import annotations

import pytest

from funnel_core.builder import funnels, steps
from funnel_core.builder.models.funnels import FunnelCreate
from funnel_core.builder.models.steps import StepCreate
from funnel_core.ontology import groups
from funnel_core.ontology.models.groups import GroupCreate


@pytest.fixture
def owner(person):
    return person()


@pytest.fixture
def make_group(moto_table, owner):
    def make(**limits):
        body = GroupCreate(name="Acme", type="business", settings={"limits": limits} if limits else {})
        return groups.service().create(owner, body).groupId

    return make


@pytest.fixture
def group_id(make_group):
    return make_group()


@pytest.fixture
def new_funnel(owner):
    def make(group_id: str, name: str = "Free guide", step_count: int = 0):
        funnel = funnels.service().create(owner, group_id, FunnelCreate(name=name))
        for n in range(step_count):
            body = StepCreate(name=f"Step {n + 1}", stepType="landing_page")
            steps.service().add(owner, group_id, funnel.funnelId, body)
        return funnels.service().get(owner, group_id, funnel.funnelId)

    return make
