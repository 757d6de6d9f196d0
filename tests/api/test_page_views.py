"""Counting views of live pages over real HTTP: the page's beacon writes a person's view into the
group's visitor event shards, the first view of a step as a connection in the visitor's own
partition, and a bot's view only as a count of excluded views."""

from __future__ import annotations

import html
import re

import pytest
import requests

from funnel_core.audit import keys as audit_keys
from funnel_core.visitors import keys as visitor_keys

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def live(owner, api):
    group = owner.create_group("Views Co", slug=f"views-{owner.person_id[-8:]}")
    funnel = owner.create_funnel(group["groupId"], "Webinar", slug="webinar")
    owner.add_step(group["groupId"], funnel["funnelId"], "Register", "landing_page", slug="register")
    second = owner.add_step(group["groupId"], funnel["funnelId"], "Replay", "landing_page", slug="replay")
    assert owner.post(f"/groups/{group['groupId']}/funnels/{funnel['funnelId']}/publish").status_code == 200
    return group, funnel, second, f"{api.url}/p/{group['slug']}/webinar"


def _beacon(session_or_requests, url: str, **kwargs):
    """The view beacon of the live page at ``url``, as the page's own script calls it."""
    page = requests.get(url, headers={"User-Agent": BROWSER}, timeout=10)
    view = re.search(r'data-view="([^"]+)"', page.text)
    assert view is not None
    base = url.split("/p/")[0]
    return session_or_requests.post(f"{base}{html.unescape(view.group(1))}", timeout=10, **kwargs)


def _items(stack, partition):
    client = stack.client("dynamodb")
    response = client.query(
        TableName=stack.table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": partition}},
        ConsistentRead=True,
    )
    return response["Items"]


def _page_views(stack, group_id):
    found = []
    for shard in range(audit_keys.VISITOR_EVENT_SHARDS):
        found += [
            i for i in _items(stack, audit_keys.visitor_events_pk(group_id, shard)) if i["entity"]["S"] == "event"
        ]
    return found


def test_a_persons_first_and_later_views(live, stack):
    group, funnel, second, url = live
    session = requests.Session()
    # Given a visitor opens the funnel's page, its beacon counts the view and gives them an id
    first = _beacon(
        session,
        f"{url}/register",
        json={"referrer": "https://news.example.com/post", "query": "utm_source=news&utm_campaign=launch&x=1"},
        headers={"User-Agent": PHONE},
    )
    assert first.status_code == 200, first.text
    assert first.json()["counted"] is True
    assert first.json()["formToken"]
    cookie = first.headers["set-cookie"]
    assert "fvid=vis_" in cookie
    assert "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    visitor_id = session.cookies["fvid"]

    # When they come back to it and go on to the second step
    assert _beacon(session, f"{url}/register", json={}, headers={"User-Agent": PHONE}).status_code == 200
    assert _beacon(session, f"{url}/replay", json={}, headers={"User-Agent": PHONE}).status_code == 200

    # Then three views are events, the first of each step marked as such
    views = _page_views(stack, group["groupId"])
    assert len(views) == 3
    first_views = sorted(v["metadata"]["M"]["firstView"]["BOOL"] for v in views)
    assert first_views == [False, True, True]
    landing = next(v for v in views if v["metadata"]["M"]["utm"]["M"])
    metadata = landing["metadata"]["M"]
    assert metadata["utm"]["M"] == {"utm_source": {"S": "news"}, "utm_campaign": {"S": "launch"}}
    assert metadata["referrer"]["S"] == "https://news.example.com/post"
    assert metadata["device"]["S"] == "mobile"
    assert metadata["visitorId"]["S"] == visitor_id
    assert metadata["version"]["N"] == "1"
    # And the visitor's partition holds one connection per step seen and the funnel entered
    mine = _items(stack, visitor_keys.visitor_pk(group["groupId"], visitor_id))
    assert sorted(i["relationshipType"]["S"] for i in mine) == [
        "visitor_entered_funnel",
        "visitor_viewed_step",
        "visitor_viewed_step",
    ]
    assert {i["toThingId"]["S"] for i in mine} >= {second["stepId"], funnel["funnelId"]}


@pytest.mark.parametrize("header", ["Sec-GPC", "DNT"])
def test_a_visitor_who_declines_tracking_is_counted_without_a_cookie(live, stack, header):
    group, _, _, url = live
    answer = _beacon(requests, f"{url}/register", json={}, headers={"User-Agent": BROWSER, header: "1"})
    assert answer.status_code == 200
    assert answer.json()["counted"] is True
    assert "set-cookie" not in answer.headers
    views = _page_views(stack, group["groupId"])
    assert [v["metadata"]["M"]["persistentVisitor"]["BOOL"] for v in views] == [False]


def test_bots_are_served_but_counted_apart(live, stack, owner):
    group, funnel, _, url = live
    assert requests.get(url, headers={"User-Agent": GOOGLEBOT}, timeout=10).status_code == 200
    for _ in range(3):
        answer = _beacon(requests, f"{url}/register", json={}, headers={"User-Agent": GOOGLEBOT})
        assert answer.json() == {"counted": False}
        assert "set-cookie" not in answer.headers
    assert _page_views(stack, group["groupId"]) == []
    report = owner.get(f"/groups/{group['groupId']}/funnels/{funnel['funnelId']}/analytics")
    assert report.status_code == 200, report.text
    first = report.json()["steps"][0]
    assert (first["botViews"], first["views"], first["uniqueVisitors"]) == (3, 0, 0)
    assert report.json()["totals"]["botViews"] == 3


def test_a_beacon_without_a_true_ticket_or_with_a_broken_body(live, stack):
    group, _, _, url = live
    assert requests.post(f"{url}/register/view", json={}, timeout=10).status_code == 400
    forged = requests.post(f"{url}/register/view?t=Z3JwX3h8ZnxzfDF8MQ.AAAA", json={}, timeout=10)
    assert forged.status_code == 400
    broken = _beacon(requests, f"{url}/register", data="{not json", headers={"User-Agent": BROWSER})
    assert broken.status_code == 200
    huge = _beacon(requests, f"{url}/register", data="x" * 5000, headers={"User-Agent": BROWSER})
    assert huge.status_code == 413
    assert len(_page_views(stack, group["groupId"])) == 1
