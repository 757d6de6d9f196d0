"""Published pages in a real browser (headless Chromium): for every system template, a funnel made
from it is published, its first page opened, its opt-in form filled and sent (or, on a sales page,
its offer taken), and the visitor lands on the next step, with no console error on the way. The
screenshots are kept in test-artifacts/."""

from __future__ import annotations

import time

import pytest

from funnel_core.builder.catalog import system_funnel_templates
from funnel_core.pages import tokens
from local.browser import artifact, browser, offline, outside
from tests.support.http_client import publish_template

VISITOR = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"


def _fill(page, email: str) -> None:
    form = page.locator("form[data-form]")
    # What a person sees: not the honeypot, which is off-screen and out of the tab order
    for control in form.locator("input:visible:not([tabindex='-1']), select:visible, textarea:visible").all():
        kind = (control.get_attribute("type") or control.evaluate("e => e.tagName")).lower()
        if kind == "email":
            control.fill(email)
        elif kind == "tel":
            control.fill("+1 555 0100")
        elif kind == "number":
            control.fill("3")
        elif kind in ("checkbox", "radio"):
            name = control.get_attribute("name")
            if kind == "checkbox" or not form.locator(f'input[name="{name}"]:checked').count():
                control.check()
        elif kind == "select":
            control.select_option(index=1)
        elif kind in ("text", "textarea", "url", "date"):
            control.fill("2026-12-24" if kind == "date" else "Ada Lovelace")


@pytest.mark.parametrize("template", system_funnel_templates(), ids=lambda template: template.templateId)
def test_a_visitor_goes_from_the_first_page_to_the_next_step(owner, api, template):
    group, funnel = publish_template(owner, template.templateId, template.name)
    steps = owner.get(f"/groups/{group['groupId']}/funnels/{funnel['funnelId']}").json()["steps"]
    url = f"{api.url}/p/{group['slug']}/{funnel['slug']}"

    with browser(user_agent=VISITOR) as chromium:
        page = chromium.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.route(outside, offline)
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

        page.goto(url, wait_until="networkidle")
        assert page.locator("h1").count() == 1
        page.screenshot(path=artifact(f"page-{template.templateId}-1.png"), full_page=True)
        opened = time.monotonic()
        form = page.locator("form[data-form][action$='/submit']")
        opts_in = form.count() > 0
        if opts_in:
            _fill(page, f"visitor+{template.templateId}@example.com")
            # A person takes a moment; a post sooner is taken for a bot's.
            time.sleep(max(0.0, tokens.MIN_FILL_SECONDS + 0.5 - (time.monotonic() - opened)))
            form.locator("button[type=submit]").first.click()
        else:
            # A sales page: its offer leads on to the order form
            page.locator(f"a.btn[href$='/{steps[1]['slug']}']").first.click()
        page.wait_for_url(f"**/{steps[1]['slug']}", timeout=15_000)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() == 1
        page.screenshot(path=artifact(f"page-{template.templateId}-2.png"), full_page=True)
        assert problems == []

    submissions = owner.get(f"/groups/{group['groupId']}/things", params={"type": "form_submission"}).json()["items"]
    assert [s["status"] for s in submissions] == (["submitted"] if opts_in else [])
