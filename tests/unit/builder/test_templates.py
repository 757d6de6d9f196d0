"""Templates at the domain level: the catalog, a funnel saved as a template and made again, a
step from a page template, and another group's template out of reach."""

from __future__ import annotations

import pytest

from funnel_core.builder import funnels, steps, templates
from funnel_core.builder.models.funnels import FunnelCreate
from funnel_core.builder.models.steps import StepCreate
from funnel_core.builder.models.templates import TemplateSave
from funnel_core.errors import NotFound, ValidationFailed
from funnel_core.ontology import groups
from funnel_core.ontology.models.groups import GroupCreate

LEAD_MAGNET = "tpl_sys_lead-magnet-opt-in"


def test_a_funnel_from_a_system_template_copies_it_and_counts_the_use(group_id, owner):
    funnel = funnels.service().create(owner, group_id, FunnelCreate(name="Guide", templateId=LEAD_MAGNET))

    template = templates.service().system_template(LEAD_MAGNET)
    assert [step.slug for step in funnel.steps] == [step.slug for step in template.steps]
    assert template.usageCount == 1
    assert funnel.templateId == LEAD_MAGNET


def test_a_saved_funnel_template_makes_the_same_funnel_again(group_id, owner, new_funnel):
    source = new_funnel(group_id, step_count=2)
    saved = templates.service().save(owner, group_id, TemplateSave(name="Mine", fromFunnelId=source.funnelId))

    copy = funnels.service().create(owner, group_id, FunnelCreate(name="Again", templateId=saved.templateId))

    assert [step.name for step in copy.steps] == ["Step 1", "Step 2"]
    listed = templates.service().list_group(owner, group_id, "funnel", None, 25, None).items
    assert next(t for t in listed if t.templateId == saved.templateId).usageCount == 1


def test_a_page_template_makes_a_step_of_its_type_only(group_id, owner, new_funnel):
    funnel = new_funnel(group_id)
    page = f"{LEAD_MAGNET}__{templates.service().system_template(LEAD_MAGNET).steps[0].slug}"
    step_type = templates.service().system_template(page).step.stepType

    with pytest.raises(ValidationFailed, match="the page template is a"):
        steps.service().add(
            owner, group_id, funnel.funnelId, StepCreate(name="X", stepType="custom_page", pageTemplateId=page)
        )
    step = steps.service().add(
        owner, group_id, funnel.funnelId, StepCreate(name="X", stepType=step_type, pageTemplateId=page)
    )
    assert step.pageTemplateId == page
    assert step.elements


def test_another_groups_template_is_not_found(group_id, owner, person, new_funnel):
    source = new_funnel(group_id, step_count=1)
    saved = templates.service().save(owner, group_id, TemplateSave(name="Mine", fromFunnelId=source.funnelId))
    other_owner = person()
    other = groups.service().create(other_owner, GroupCreate(name="Other", type="business")).groupId

    with pytest.raises(NotFound):
        funnels.service().create(other_owner, other, FunnelCreate(name="Stolen", templateId=saved.templateId))
    with pytest.raises(NotFound):
        templates.service().system_template(saved.templateId)
