"""A/B tests end to end over real HTTP: a test made, started, stopped and decided through the
API; visitors of the control's URL split between the arms, each by a hash of their visitor id
and the test id, the same arm every time; their views, opt-ins and the stream's counting
turned into the test's results and the funnel's per-variant analytics."""

from __future__ import annotations

import html
import re
import time

import pytest
import requests

from funnel_core.pages import splits, tokens
from local.net import wait_until
from tests.support.http_client import error_fields

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
CONTROL_HEADLINE = "Get the checklist"
VARIANT_HEADLINE = "Stop guessing: get the checklist"


@pytest.fixture
def funnel(owner, api):
    group = owner.create_group("Split Co", slug=f"split-{owner.person_id[-8:]}")
    g = group["groupId"]
    made = owner.create_funnel(g, "Checklist", slug="checklist")
    f = made["funnelId"]
    control = owner.add_step(g, f, "Opt-in", "opt_in_page", slug="opt-in")
    thanks = owner.add_step(g, f, "Thanks", "thank_you_page", slug="thanks")
    variant = owner.add_step(g, f, "Opt-in B", "opt_in_page", slug="opt-in-b")
    for step, text in ((control, CONTROL_HEADLINE), (variant, VARIANT_HEADLINE)):
        owner.add_element(g, f, step["stepId"], "headline", {"text": text, "level": 1})
    base = f"/groups/{g}/funnels/{f}"
    assert owner.post(f"{base}/publish").status_code == 200
    return {
        "group": group,
        "base": base,
        "url": f"{api.url}/p/{group['slug']}/checklist",
        "origin": api.url,
        "control": control["stepId"],
        "thanks": thanks["stepId"],
        "variant": variant["stepId"],
    }


def _new_test(owner, funnel, **fields) -> dict:
    body = {"controlStepId": funnel["control"], "variantStepIds": [funnel["variant"]], "trafficSplit": [50, 50]}
    made = owner.post(f"{funnel['base']}/ab-tests", {**body, **fields})
    assert made.status_code == 201, made.text
    return made.json()


def _open(session: requests.Session, funnel: dict, **headers: str) -> requests.Response:
    page = session.get(f"{funnel['url']}/opt-in", headers={"User-Agent": BROWSER, **headers}, timeout=10)
    assert page.status_code == 200, page.text
    return page


def _served(page: requests.Response) -> str:
    return "variant" if VARIANT_HEADLINE in page.text else "control"


def _count(session: requests.Session, funnel: dict, page: requests.Response) -> None:
    """The page's own beacon, as its script sends it."""
    beacon = re.search(r'data-view="([^"]+)"', page.text)
    assert beacon is not None
    counted = session.post(
        f"{funnel['origin']}{html.unescape(beacon.group(1))}", json={}, headers={"User-Agent": BROWSER}
    )
    assert counted.status_code == 200, counted.text


def _opt_in(session: requests.Session, funnel: dict, served_step: str, n: int) -> requests.Response:
    form = {
        "_token": tokens.issue(served_step, int((time.time() - 10) * 1000)),
        "website": "",
        "email": f"reader{n}@example.com",
    }
    return session.post(
        f"{funnel['url']}/opt-in/submit", data=form, headers={"User-Agent": BROWSER}, allow_redirects=False, timeout=10
    )


def test_a_split_test_runs_sticky_is_counted_and_is_decided(owner, funnel):
    test = _new_test(owner, funnel, metric="opt_in")
    t = f"{funnel['base']}/ab-tests/{test['abTestId']}"
    assert (test["status"], test["trafficSplit"], test["metric"]) == ("draft", [50, 50], "opt_in")
    # The variant left the funnel's flow: no URL of its own, the control leads to the thank-you page.
    assert requests.get(f"{funnel['url']}/opt-in-b", timeout=10).status_code == 404
    assert _served(_open(requests.Session(), funnel)) == "control"

    started = owner.post(f"{t}/start")
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "running"

    # Visitors of the control's URL get one arm each, by their visitor id and the test id,
    # the same arm on every visit; those who sent the form land on the thank-you page.
    deal = splits.deal(test["abTestId"], [50, 50])
    arms = {"control": funnel["control"], "variant": funnel["variant"]}
    served = {"control": 0, "variant": 0}
    opted = {"control": 0, "variant": 0}
    for n in range(40):
        visitor = requests.Session()
        page = _open(visitor, funnel)
        visitor_id = visitor.cookies.get("fvid")
        assert visitor_id, "a new visitor of a split page gets their id with it"
        assert page.headers["Cache-Control"] == "private, no-store"
        arm = _served(page)
        assert arm == ("control", "variant")[int(deal[splits.bucket_of(visitor_id)])]
        _count(visitor, funnel, page)
        again = _open(visitor, funnel)
        assert _served(again) == arm
        assert "set-cookie" not in again.headers
        _count(visitor, funnel, again)
        served[arm] += 1
        if n % 5 == 0:  # 8 posts: under the form's 10 a minute from one address
            sent = _opt_in(visitor, funnel, arms[arm], n)
            assert sent.status_code == 303, sent.text
            assert sent.headers["Location"].endswith("/checklist/thanks")
            opted[arm] += 1
    assert served["control"] > 0
    assert served["variant"] > 0

    # A visitor who declines tracking is served an arm, with no cookie.
    private = _open(requests.Session(), funnel, **{"Sec-GPC": "1"})
    assert "set-cookie" not in private.headers
    # The edge's bucket (CloudFront's function) decides the arm, and the answer may be cached.
    bucket = next(b for b in range(splits.BUCKETS) if deal[b] == "1")
    edge = _open(requests.Session(), funnel, **{"X-Visitor-Bucket": str(bucket)})
    assert _served(edge) == "variant"
    assert edge.headers["Cache-Control"].startswith("public")
    assert "set-cookie" not in edge.headers

    def results() -> dict:
        answer = owner.get(t)
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]

    wait_until(
        lambda: [arm["conversions"] for arm in results()["arms"]] == [opted["control"], opted["variant"]]
        and sum(arm["exposures"] for arm in results()["arms"]) == 40,
        timeout=60,
        what="the exposures and opt-ins counted for the test",
    )
    found = results()
    control, variant = found["arms"]
    assert (control["stepId"], control["role"], control["weight"]) == (funnel["control"], "control", 50)
    assert (variant["stepId"], variant["role"]) == (funnel["variant"], "variant")
    assert (control["exposures"], variant["exposures"]) == (served["control"], served["variant"])
    assert variant["rate"] == pytest.approx(opted["variant"] / served["variant"])
    [comparison] = found["variants"]
    assert comparison["decidable"] is False  # fewer than 100 exposures: no verdict yet
    assert found["sampleRatio"]["mismatch"] is False
    assert found["recommendedWinner"] is None

    # The funnel's analytics show the opt-in step by variant; the variant is no step of its own.
    report = owner.get(f"{funnel['base']}/analytics").json()
    assert [step["stepId"] for step in report["steps"]] == [funnel["control"], funnel["thanks"]]
    by_variant = {v["variant"]: v for v in report["steps"][0]["variants"]}
    assert by_variant[funnel["variant"]]["uniqueVisitors"] == served["variant"]
    assert by_variant[funnel["variant"]]["optIns"] == opted["variant"]

    # Choosing the variant ends the test: everyone gets it at the control's URL, cacheable again.
    decided = owner.post(f"{t}/winner", {"stepId": funnel["variant"]})
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["winnerStepId"]) == ("completed", funnel["variant"])
    for _ in range(5):
        page = _open(requests.Session(), funnel)
        assert _served(page) == "variant"
        assert page.headers["Cache-Control"].startswith("public")
    assert owner.post(f"{t}/winner", {"stepId": funnel["control"]}).status_code == 409

    events = owner.get(f"/groups/{funnel['group']['groupId']}/events", params={"limit": 100}).json()["items"]
    kinds = [event["type"] for event in events if event["targetId"] == test["abTestId"]]
    assert {"entity_created", "ab_test_started", "ab_test_completed"} <= set(kinds)
    arms_of = owner.get(
        f"/groups/{funnel['group']['groupId']}/things/{funnel['variant']}/connections",
        params={"direction": "in", "type": "ab_test_variant"},
    )
    assert arms_of.status_code == 200, arms_of.text
    [arm_of] = arms_of.json()["items"]
    assert (arm_of["fromThingId"], arm_of["metadata"]["role"]) == (test["abTestId"], "variant")


def test_stopping_a_test_serves_the_control_to_everyone(owner, funnel):
    test = _new_test(owner, funnel)
    t = f"{funnel['base']}/ab-tests/{test['abTestId']}"
    assert owner.post(f"{t}/start").status_code == 200
    stopped = owner.post(f"{t}/stop")
    assert stopped.status_code == 200, stopped.text
    assert (stopped.json()["status"], stopped.json()["winnerStepId"]) == ("completed", None)
    for _ in range(5):
        assert _served(_open(requests.Session(), funnel)) == "control"
    assert owner.post(f"{t}/start").status_code == 409  # only a draft starts
    listed = owner.get(f"{funnel['base']}/ab-tests").json()["items"]
    assert [(item["abTestId"], item["status"]) for item in listed] == [(test["abTestId"], "completed")]


def test_bad_tests_are_refused_naming_the_problem(owner, funnel, new_user):
    base = f"{funnel['base']}/ab-tests"
    arms = {"controlStepId": funnel["control"], "variantStepIds": [funnel["variant"]]}
    uneven = owner.post(base, {**arms, "trafficSplit": [60, 50]})
    assert uneven.status_code == 422
    assert "add up to 100" in uneven.text
    assert owner.post(base, {**arms, "trafficSplit": [100]}).status_code == 422
    unknown = owner.post(base, {**arms, "variantStepIds": ["stp_nosuchstep"]})
    assert unknown.status_code == 422
    assert error_fields(unknown) == ["variantStepIds.0"]
    same = owner.post(base, {**arms, "variantStepIds": [funnel["control"]]})
    assert same.status_code == 422
    assert owner.post(base, {**arms, "metric": "clicks"}).status_code == 422
    assert new_user().post(base, arms).status_code == 404

    test = _new_test(owner, funnel)
    # A step under test stays as long as the test does.
    removed = owner.delete(f"{funnel['base']}/steps/{funnel['variant']}")
    assert removed.status_code == 409, removed.text
    # Its variant cannot be another test's.
    again = owner.post(base, {"controlStepId": funnel["thanks"], "variantStepIds": [funnel["variant"]]})
    assert again.status_code == 422
    assert error_fields(again) == ["variantStepIds.0"]
    # The winner must be an arm, of a running test.
    t = f"{base}/{test['abTestId']}"
    assert owner.post(f"{t}/winner", {"stepId": funnel["control"]}).status_code == 409
    assert owner.post(f"{t}/start").status_code == 200
    wrong = owner.post(f"{t}/winner", {"stepId": funnel["thanks"]})
    assert wrong.status_code == 422
    assert error_fields(wrong) == ["stepId"]
    assert owner.get(f"{base}/abt_nosuchtest").status_code == 404


def test_a_test_starts_only_on_a_live_funnel_with_every_arm_published(owner, funnel):
    g = funnel["group"]["groupId"]
    f = funnel["base"].rsplit("/", 1)[1]
    fresh = owner.add_step(g, f, "Opt-in C", "opt_in_page", slug="opt-in-c")
    test = _new_test(owner, funnel, variantStepIds=[fresh["stepId"]])
    unpublished = owner.post(f"{funnel['base']}/ab-tests/{test['abTestId']}/start")
    assert unpublished.status_code == 422
    assert error_fields(unpublished) == ["variantStepIds"]
    assert owner.post(f"{funnel['base']}/unpublish").status_code == 200
    offline = owner.post(f"{funnel['base']}/ab-tests/{test['abTestId']}/start")
    assert offline.status_code == 409
    assert "not published" in offline.text


def test_pages_that_take_payment_are_not_split(owner, funnel):
    g = funnel["group"]["groupId"]
    f = funnel["base"].rsplit("/", 1)[1]
    product = owner.post(f"/groups/{g}/products", {"name": "Course", "price": 4900, "currency": "USD"})
    assert product.status_code == 201, product.text
    sells = {"properties": {"productId": product.json()["productId"]}}
    order = owner.add_step(g, f, "Order", "order_form", slug="order", **sells)
    other = owner.add_step(g, f, "Order B", "order_form", slug="order-b", **sells)
    test = _new_test(owner, funnel, controlStepId=order["stepId"], variantStepIds=[other["stepId"]])
    assert owner.post(f"{funnel['base']}/publish").status_code == 200
    refused = owner.post(f"{funnel['base']}/ab-tests/{test['abTestId']}/start")
    assert refused.status_code == 422
    assert "takes payment" in refused.text
