"""Lighthouse on the first published page of every system template: accessibility and SEO at 95
or more (they do not depend on the machine; performance and best practices are in make bench)."""

from __future__ import annotations

import json

import pytest

from funnel_core.builder.catalog import system_funnel_templates
from local.browser import artifact
from local.lighthouse import audit
from tests.support.http_client import publish_template

GOAL = 95
CATEGORIES = ("accessibility", "seo")


@pytest.mark.parametrize("template", system_funnel_templates(), ids=lambda template: template.templateId)
def test_the_first_page_scores_95_in_accessibility_and_seo(owner, api, template):
    group, funnel = publish_template(owner, template.templateId, template.name)

    result = audit(f"{api.url}/p/{group['slug']}/{funnel['slug']}", categories=CATEGORIES)

    artifact(f"lighthouse-{template.templateId}.json").write_text(json.dumps(result.scores, indent=2))
    assert set(result.scores) == set(CATEGORIES)
    for category in CATEGORIES:
        assert result.scores[category] >= GOAL, (category, result.summary(), result.failing[category])
