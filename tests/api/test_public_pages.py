"""Published pages over real HTTP: only the live version is served, with the headers a public page
needs; drafts, unpublished and archived funnels and unknown URLs get the designed 404 page."""

from __future__ import annotations

import re
import time

import pytest
import requests


@pytest.fixture
def live(owner, api):
    group = owner.create_group("Pages Co", slug=f"pages-{owner.person_id[-8:]}")
    funnel = owner.create_funnel(group["groupId"], "Free Guide", slug="free-guide")
    base = f"/groups/{group['groupId']}/funnels/{funnel['funnelId']}"
    step = owner.add_step(
        group["groupId"],
        funnel["funnelId"],
        "Opt-in",
        "opt_in_page",
        slug="opt-in",
        properties={"headline": "Get the guide", "ctaText": "Send it"},
    )
    headline = owner.add_element(group["groupId"], funnel["funnelId"], step["stepId"], settings={"text": "Version one"})
    owner.add_step(group["groupId"], funnel["funnelId"], "Thanks", "thank_you_page", slug="thanks")
    published = owner.post(f"{base}/publish")
    assert published.status_code == 200, published.text
    return {
        "base": base,
        "url": f"{api.url}/p/{group['slug']}/free-guide",
        "group": group,
        "step": step,
        "headline": headline,
    }


def test_the_live_version_is_served_and_a_draft_edit_is_not(owner, live):
    # Given a published funnel, its first step is at the funnel's URL and at its own
    first = requests.get(live["url"], timeout=10)
    own = requests.get(f"{live['url']}/opt-in", timeout=10)
    assert first.status_code == own.status_code == 200
    assert first.headers["content-type"] == "text/html; charset=utf-8"
    assert "Version one" in first.text
    assert "Version one" in own.text
    assert "s-maxage" in first.headers["cache-control"]

    # When the draft changes, the page does not, until the next publish
    step_id, element_id = live["step"]["stepId"], live["headline"]["elementId"]
    edited = owner.patch(
        f"{live['base']}/steps/{step_id}/elements/{element_id}", {"version": 1, "settings": {"text": "Version two"}}
    )
    assert edited.status_code == 200, edited.text
    assert "Version one" in requests.get(live["url"], timeout=10).text
    assert owner.post(f"{live['base']}/publish").json()["version"] == 2
    assert "Version two" in requests.get(live["url"], timeout=10).text

    # And restoring version 1 serves version 1 again
    assert owner.post(f"{live['base']}/versions/1/restore").status_code == 200
    assert "Version one" in requests.get(live["url"], timeout=10).text


def test_unpublish_and_archive_stop_serving_at_once(owner, live):
    assert owner.post(f"{live['base']}/unpublish").status_code == 200
    gone = requests.get(live["url"], timeout=10)
    assert gone.status_code == 404
    assert gone.headers["content-type"].startswith("text/html")
    assert "This page is not available" in gone.text
    assert requests.get(f"{live['url']}/opt-in", timeout=10).status_code == 404

    assert owner.post(f"{live['base']}/publish").status_code == 200
    assert requests.get(live["url"], timeout=10).status_code == 200
    assert owner.delete(live["base"]).status_code == 200
    assert requests.get(live["url"], timeout=10).status_code == 404


def test_a_new_funnel_slug_moves_the_live_pages(owner, live):
    funnel = owner.get(live["base"]).json()
    moved = owner.patch(live["base"], {"version": funnel["version"], "slug": "the-guide"})
    assert moved.status_code == 200, moved.text
    new_url = live["url"].replace("/free-guide", "/the-guide")
    assert requests.get(f"{new_url}/thanks", timeout=10).status_code == 200
    assert requests.get(f"{live['url']}/thanks", timeout=10).status_code == 404


def test_headers_fit_a_public_page_and_a_cdn(live):
    page = requests.get(live["url"], timeout=10)
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    # Every inline script and style is allowed by its hash, and only those
    for kind in ("script", "style"):
        assert len(re.findall(rf"<{kind}[ >]", page.text)) == 1
        assert re.search(rf"{kind}-src 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert page.headers["x-frame-options"] == "DENY"
    etag = page.headers["etag"]
    assert etag.startswith('W/"')
    again = requests.get(live["url"], headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    ["/p/nobody/nothing", "/p/nobody/nothing/step", "/p/..%2F..%2Fgroups/x", "/p/UPPER/case", "/p/a/b/%2e%2e"],
)
def test_unknown_urls_get_the_designed_404_page(api, path):
    answer = requests.get(f"{api.url}{path}", timeout=10)
    assert answer.status_code == 404
    assert answer.text.startswith("<!doctype html>")
    assert "This page is not available" in answer.text


def test_a_step_of_a_draft_funnel_is_not_served(owner, api):
    group = owner.create_group("Drafty", slug=f"drafty-{owner.person_id[-8:]}")
    funnel = owner.create_funnel(group["groupId"], "Not yet", slug="not-yet")
    owner.add_step(group["groupId"], funnel["funnelId"], "Landing", slug="landing")
    assert requests.get(f"{api.url}/p/{group['slug']}/not-yet", timeout=10).status_code == 404
    assert requests.get(f"{api.url}/p/{group['slug']}/not-yet/landing", timeout=10).status_code == 404


def _eventually(check, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return check()


def test_a_new_group_slug_moves_every_live_page_through_the_stream(owner, live, api):
    # Given a live funnel, when its group takes a new slug
    group = owner.get(f"/groups/{live['group']['groupId']}").json()
    new_slug = f"renamed-{owner.person_id[-8:]}"
    assert (
        owner.patch(f"/groups/{group['groupId']}", {"version": group["version"], "slug": new_slug}).status_code == 200
    )

    # Then the stream moves its pages to the new URLs and the old ones stop serving
    new_url = f"{api.url}/p/{new_slug}/free-guide"
    assert _eventually(lambda: requests.get(f"{new_url}/thanks", timeout=10).status_code == 200)
    assert _eventually(lambda: requests.get(live["url"], timeout=10).status_code == 404)
    # And the pages link within the new URL
    assert f'action="/p/{new_slug}/free-guide/opt-in/submit"' in requests.get(new_url, timeout=10).text

    # When the group is archived, its pages stop serving
    group = owner.get(f"/groups/{group['groupId']}").json()
    assert owner.delete(f"/groups/{group['groupId']}").status_code in (200, 204)
    assert _eventually(lambda: requests.get(new_url, timeout=10).status_code == 404)


def test_script_a_builder_types_is_escaped_on_the_live_page(owner, live):
    step_id, element_id = live["step"]["stepId"], live["headline"]["elementId"]
    hostile = '</h1><script>alert(1)</script><img src=x onerror="alert(2)">'
    edited = owner.patch(
        f"{live['base']}/steps/{step_id}/elements/{element_id}", {"version": 1, "settings": {"text": hostile}}
    )
    assert edited.status_code == 200, edited.text
    assert owner.post(f"{live['base']}/publish").status_code == 200
    page = requests.get(live["url"], timeout=10).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'onerror="alert' not in page


@pytest.mark.parametrize(
    "cookie", ['fvid="><script>alert(1)</script>', "fvid=vis_short", "fvid=" + "x" * 5000, "a=b; fvid"]
)
def test_a_forged_visitor_cookie_is_never_taken(live, cookie):
    page = requests.get(live["url"], timeout=10).text
    view = re.search(r'data-view="([^"]+)"', page)
    assert view is not None
    beacon = requests.post(
        live["url"].split("/p/")[0] + view.group(1).replace("&amp;", "&"),
        json={},
        headers={"Cookie": cookie, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"},
        timeout=10,
    )
    assert beacon.status_code == 200
    assert re.search(r"fvid=vis_[A-Za-z0-9_-]{22};", beacon.headers["set-cookie"])
