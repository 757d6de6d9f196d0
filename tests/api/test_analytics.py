"""Funnel analytics end to end over real HTTP: scripted visitors (and bots) on a live funnel's
pages, their events through the table's stream into the counters, the report read back with
SPEC section 4's figures."""

from __future__ import annotations

import html
import re
import time
import xml.etree.ElementTree as ElementTree

import pytest
import requests

from funnel_core.pages import tokens
from local.browser import artifact, browser
from local.net import wait_until

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def funnel(owner, api):
    group = owner.create_group("Numbers Co", slug=f"numbers-{owner.person_id[-8:]}")
    made = owner.create_funnel(group["groupId"], "Guide", slug="guide")
    optin = owner.add_step(group["groupId"], made["funnelId"], "Opt-in", "opt_in_page", slug="opt-in")
    thanks = owner.add_step(group["groupId"], made["funnelId"], "Thanks", "thank_you_page", slug="thanks")
    base = f"/groups/{group['groupId']}/funnels/{made['funnelId']}"
    assert owner.post(f"{base}/publish").status_code == 200
    return {
        "group": group,
        "base": base,
        "url": f"{api.url}/p/{group['slug']}/guide",
        "origin": api.url,
        "optin": optin,
        "thanks": thanks,
    }


def _view(session: requests.Session, funnel: dict, slug: str, agent: str = BROWSER) -> None:
    """Open the page and let its beacon count the view, as the page's script does."""
    page = session.get(f"{funnel['url']}/{slug}", headers={"User-Agent": agent}, timeout=10)
    assert page.status_code == 200
    beacon = re.search(r'data-view="([^"]+)"', page.text)
    assert beacon is not None
    counted = session.post(
        f"{funnel['origin']}{html.unescape(beacon.group(1))}", json={}, headers={"User-Agent": agent}
    )
    assert counted.status_code == 200


def _opt_in(session: requests.Session, funnel: dict, n: int) -> None:
    form = {
        "_token": tokens.issue(funnel["optin"]["stepId"], int((time.time() - 10) * 1000)),
        "website": "",
        "email": f"reader{n}@example.com",
    }
    sent = session.post(
        f"{funnel['url']}/opt-in/submit", data=form, headers={"User-Agent": BROWSER}, allow_redirects=False, timeout=10
    )
    assert sent.status_code == 303, sent.text


def test_a_funnels_traffic_becomes_its_conversion_report(owner, funnel):
    for n in range(10):
        visitor = requests.Session()
        _view(visitor, funnel, "opt-in")
        if n < 2:
            _view(visitor, funnel, "opt-in")  # back again: a view, not another visitor
        if n < 4:
            _opt_in(visitor, funnel, n)
            _view(visitor, funnel, "thanks")
    for _ in range(3):
        _view(requests.Session(), funnel, "opt-in", agent=GOOGLEBOT)

    def report() -> dict:
        answer = owner.get(f"{funnel['base']}/analytics")
        assert answer.status_code == 200, answer.text
        return answer.json()

    wait_until(
        lambda: report()["steps"][1]["uniqueVisitors"] == 4 and report()["steps"][0]["optIns"] == 4,
        timeout=60,
        what="the stream's events in the counters",
    )
    found = report()
    optin, thanks = found["steps"]
    assert (optin["stepId"], optin["name"], optin["sequence"]) == (funnel["optin"]["stepId"], "Opt-in", 1)
    assert (optin["views"], optin["uniqueVisitors"], optin["optIns"], optin["botViews"]) == (12, 10, 4, 3)
    assert optin["optInRate"] == 0.4
    assert (thanks["views"], thanks["uniqueVisitors"]) == (4, 4)
    assert (thanks["stepConversion"], thanks["dropOff"]) == (0.4, 0.6)
    totals = found["totals"]
    assert (totals["views"], totals["uniqueVisitors"], totals["botViews"]) == (16, 10, 3)
    assert totals["overallConversion"] == 0.4
    assert (found["granularity"], found["timezone"]) == ("day", "UTC")
    [today] = found["periods"]
    assert today["period"] == found["to"]
    assert [v["variant"] for v in optin["variants"]] == ["-"]
    by_month = owner.get(f"{funnel['base']}/analytics", params={"granularity": "month"}).json()
    assert [p["period"] for p in by_month["periods"]] == [found["to"][:7]]
    _the_chart_says_so(owner, funnel)


def _the_chart_says_so(owner, funnel) -> None:
    answer = owner.get(f"{funnel['base']}/analytics/chart.svg")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("image/svg+xml")
    svg = ElementTree.fromstring(answer.text)  # noqa: S314 - the API under test: well-formed, in the SVG namespace
    space = "{http://www.w3.org/2000/svg}"
    assert svg.tag == f"{space}svg"
    assert svg.get("role") == "img"
    assert svg.find(f"{space}title").text == "Guide: unique visitors per step"
    description = svg.find(f"{space}desc").text
    assert "Step 1, Opt-in: 10 unique visitors, 12 views." in description
    assert "Step 2, Thanks: 4 unique visitors, 4 views, 40.0% of the step before." in description
    texts = [node.text for node in svg.iter(f"{space}text")]
    assert {"10", "4", "40.0% →", "Overall conversion: 40.0%"} <= set(texts)
    with browser() as chromium:
        page = chromium.new_page()
        page.set_content(f"<!doctype html><html lang='en'><body>{answer.text}</body></html>")
        drawn = page.locator("svg[role=img]")
        assert drawn.get_attribute("aria-labelledby") == "chart-title chart-desc"
        bars = page.locator("svg rect[rx]")
        assert bars.count() == 2
        heights = [float(bars.nth(n).get_attribute("height")) for n in range(2)]
        assert heights[0] > heights[1] > 0  # as tall as the visitors: 10 against 4
        page.screenshot(path=artifact("analytics-chart.png"))


def test_the_report_is_for_the_funnels_readers_and_says_what_is_wrong_with_a_range(owner, funnel, new_user):
    assert new_user().get(f"{funnel['base']}/analytics").status_code == 404
    backwards = owner.get(f"{funnel['base']}/analytics", params={"from": "2026-11-30", "to": "2026-11-01"})
    assert backwards.status_code == 422
    assert backwards.json()["error"]["fields"][0]["field"] == "from"
    too_long = owner.get(f"{funnel['base']}/analytics", params={"from": "2024-01-01", "to": "2026-11-01"})
    assert too_long.status_code == 422
    # A query parameter that is not one is the API's 400, naming it.
    year = owner.get(f"{funnel['base']}/analytics", params={"granularity": "year"})
    assert year.status_code == 400
    assert "granularity" in year.text
    assert owner.get(f"{funnel['base']}/analytics", params={"from": "yesterday"}).status_code == 400
    empty = owner.get(f"{funnel['base']}/analytics", params={"from": "2026-01-01", "to": "2026-01-31"}).json()
    assert [step["views"] for step in empty["steps"]] == [0, 0]
    assert empty["periods"] == []


def test_the_days_are_the_groups_own(owner, funnel):
    group = f"/groups/{funnel['group']['groupId']}"
    version = owner.get(group).json()["version"]
    wrong = owner.patch(group, {"version": version, "settings": {"timezone": "Mars/Olympus_Mons"}})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"][0]["field"] == "settings.timezone"
    assert owner.patch(group, {"version": version, "settings": {"timezone": "Pacific/Kiritimati"}}).status_code == 200

    found = owner.get(f"{funnel['base']}/analytics").json()

    assert found["timezone"] == "Pacific/Kiritimati"
    # UTC+14: the group's today, which is never behind UTC's.
    assert found["to"] >= time.strftime("%Y-%m-%d", time.gmtime())
