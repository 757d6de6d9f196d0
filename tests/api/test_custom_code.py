"""Custom code over HTTP: owners write it, every change audited; it goes live with the next publish,
frozen in the version, and the page's CSP names its scripts."""

from __future__ import annotations

import base64
import hashlib

import pytest
import requests

PIXEL = '<script>window.pixel = "loaded";</script><noscript><img src="https://px.example.com/p.gif" alt=""></noscript>'
LOADER = '<script src="https://cdn.example-analytics.com/a.js" async></script>'


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


@pytest.fixture
def live(owner, api):
    group = owner.create_group("Code Co", slug=f"code-{owner.person_id[-8:]}")
    funnel = owner.create_funnel(group["groupId"], "Tracked", slug="tracked")
    first = owner.add_step(group["groupId"], funnel["funnelId"], "Landing", slug="landing")
    second = owner.add_step(group["groupId"], funnel["funnelId"], "Thanks", "thank_you_page", slug="thanks")
    base = f"/groups/{group['groupId']}/funnels/{funnel['funnelId']}"
    assert owner.post(f"{base}/publish").status_code == 200
    return {"group": group, "base": base, "url": f"{api.url}/p/{group['slug']}/tracked", "steps": (first, second)}


def test_custom_code_goes_live_with_the_next_publish(owner, live):
    base = live["base"]
    made = owner.post(f"{base}/custom-code", {"name": "Pixel", "placement": "head", "html": PIXEL})
    assert made.status_code == 201, made.text
    code = made.json()
    scoped = owner.post(
        f"{base}/custom-code",
        {"name": "Loader", "placement": "body_end", "html": LOADER, "stepId": live["steps"][1]["stepId"]},
    )
    assert scoped.status_code == 201, scoped.text

    # Not live until the next publish
    assert "window.pixel" not in requests.get(live["url"], timeout=10).text
    assert owner.post(f"{base}/publish").status_code == 200

    landing = requests.get(live["url"], timeout=10)
    head = landing.text.split("</head>")[0]
    assert PIXEL in head
    assert LOADER not in landing.text  # scoped to the other step
    csp = landing.headers["content-security-policy"]
    assert _hash('window.pixel = "loaded";') in csp
    thanks = requests.get(f"{live['url']}/thanks", timeout=10)
    assert thanks.text.rstrip().endswith(f"{LOADER}</body></html>")
    assert "https://cdn.example-analytics.com" in thanks.headers["content-security-policy"]

    # Listed, changed and archived, each audited; archiving takes it off at the next publish
    assert [c["name"] for c in owner.get(f"{base}/custom-code").json()["items"]] == ["Pixel", "Loader"]
    changed = owner.patch(f"{base}/custom-code/{code['customCodeId']}", {"version": 1, "name": "Meta pixel"})
    assert changed.status_code == 200, changed.text
    stale = owner.patch(f"{base}/custom-code/{code['customCodeId']}", {"version": 1, "name": "Again"})
    assert stale.status_code == 409
    assert owner.delete(f"{base}/custom-code/{code['customCodeId']}").status_code == 200
    assert owner.post(f"{base}/publish").status_code == 200
    assert "window.pixel" not in requests.get(live["url"], timeout=10).text
    events = owner.get(f"/groups/{live['group']['groupId']}/events", params={"targetId": code["customCodeId"]})
    assert [e["type"] for e in events.json()["items"]] == ["entity_archived", "entity_updated", "entity_created"]


def test_only_owners_write_custom_code(owner, new_user, live):
    base, group_id = live["base"], live["group"]["groupId"]
    helper = new_user()
    assert owner.put(f"/groups/{group_id}/members/{helper.person_id}", {"role": "group_user"}).status_code in (200, 201)
    assert owner.put(f"{base}/assignees/{helper.person_id}").status_code in (200, 201)
    body = {"name": "Pixel", "placement": "head", "html": PIXEL}
    assert helper.post(f"{base}/custom-code", body).status_code == 403
    assert helper.get(f"{base}/custom-code").status_code == 200
    code = owner.post(f"{base}/custom-code", body).json()
    assert helper.patch(f"{base}/custom-code/{code['customCodeId']}", {"version": 1, "name": "x"}).status_code == 403
    assert helper.delete(f"{base}/custom-code/{code['customCodeId']}").status_code == 403
    assert new_user().post(f"{base}/custom-code", body).status_code == 404


def test_bad_custom_code_is_refused(owner, live):
    base = live["base"]
    assert owner.post(f"{base}/custom-code", {"name": "x", "placement": "footer", "html": PIXEL}).status_code == 422
    assert owner.post(f"{base}/custom-code", {"name": "x", "placement": "head", "html": ""}).status_code == 422
    too_big = owner.post(f"{base}/custom-code", {"name": "x", "placement": "head", "html": "x" * 50_001})
    assert too_big.status_code in (413, 422)
    other_step = owner.post(
        f"{base}/custom-code", {"name": "x", "placement": "head", "html": PIXEL, "stepId": "stp_nope"}
    )
    assert other_step.status_code == 422
    assert owner.delete(f"{base}/custom-code/cod_nope").status_code == 404


def test_a_null_step_makes_scoped_code_funnel_wide_again(owner, live):
    base, thanks = live["base"], live["steps"][1]["stepId"]
    code = owner.post(
        f"{base}/custom-code", {"name": "Loader", "placement": "body_end", "html": LOADER, "stepId": thanks}
    ).json()
    renamed = owner.patch(f"{base}/custom-code/{code['customCodeId']}", {"version": 1, "name": "Loader 2"})
    assert renamed.json()["stepId"] == thanks  # a field left out stays as it is

    widened = owner.patch(f"{base}/custom-code/{code['customCodeId']}", {"version": 2, "stepId": None})
    assert widened.status_code == 200, widened.text
    assert widened.json().get("stepId") is None
    assert owner.post(f"{base}/publish").status_code == 200
    assert LOADER in requests.get(live["url"], timeout=10).text
