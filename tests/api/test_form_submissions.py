"""Form posts to live pages over real HTTP: validated against the published form, written once
with the customer, the submission, the visitor's connection and the event; spam kept apart;
replays, floods and the group's monthly limit refused as the contract says."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pytest
import requests

from funnel_core.pages import tokens

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
FIELDS = [
    {"name": "firstName", "type": "text", "required": True, "label": "First name"},
    {"name": "email", "type": "email", "required": True, "label": "Email"},
    {"name": "budget", "type": "select", "options": [{"label": "Small", "value": "s"}, {"label": "Big", "value": "b"}]},
    {"name": "consent", "type": "checkbox", "required": True, "label": "Send me the guide and tips"},
]


@pytest.fixture
def live(owner, api):
    group = owner.create_group("Leads Co", slug=f"leads-{owner.person_id[-8:]}")
    funnel = owner.create_funnel(group["groupId"], "Guide", slug="guide")
    step = owner.add_step(
        group["groupId"],
        funnel["funnelId"],
        "Opt-in",
        "opt_in_page",
        slug="opt-in",
        properties={"formFields": FIELDS, "ctaText": "Send it"},
    )
    owner.add_step(group["groupId"], funnel["funnelId"], "Thanks", "thank_you_page", slug="thanks")
    base = f"/groups/{group['groupId']}/funnels/{funnel['funnelId']}"
    assert owner.post(f"{base}/publish").status_code == 200
    return {"group": group, "funnel": funnel, "step": step, "base": base, "url": f"{api.url}/p/{group['slug']}/guide"}


def _token(step_id: str, age: float = 10) -> str:
    return tokens.issue(step_id, int((time.time() - age) * 1000))


def _form(live, **values):
    return {
        "_token": _token(live["step"]["stepId"]),
        "website": "",
        "firstName": "Ada",
        "email": "Ada@Example.COM",
        "budget": "b",
        "consent": "yes",
        **values,
    }


def _post(live, data=None, json=None, headers=None, ip_tag=""):
    all_headers = {"User-Agent": BROWSER, "Referer": f"{live['url']}?utm_source=ads", **(headers or {})}
    return requests.post(
        f"{live['url']}/opt-in/submit", data=data, json=json, headers=all_headers, allow_redirects=False, timeout=10
    )


def _events(owner, live, event_type):
    answer = owner.get(f"/groups/{live['group']['groupId']}/events", params={"type": event_type})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def _things(owner, live, thing_type):
    answer = owner.get(f"/groups/{live['group']['groupId']}/things", params={"type": thing_type})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_a_browser_post_is_taken_and_goes_on_to_the_next_step(owner, live):
    answer = _post(live, data=_form(live))
    assert answer.status_code == 303, answer.text
    assert urlsplit(answer.headers["location"]).path == f"/p/{live['group']['slug']}/guide/thanks"
    assert "fvid=vis_" in answer.headers["set-cookie"]

    # The customer, one per normalized email, and the submission with its consent record
    customers = _things(owner, live, "customer")
    assert [c["properties"]["email"] for c in customers] == ["ada@example.com"]
    assert customers[0]["properties"]["firstName"] == "Ada"
    submissions = _things(owner, live, "form_submission")
    assert len(submissions) == 1
    submission = submissions[0]
    assert submission["status"] == "submitted"
    assert submission["properties"]["data"] == {
        "firstName": "Ada",
        "email": "ada@example.com",
        "budget": "b",
        "consent": True,
    }
    assert submission["properties"]["customerId"] == customers[0]["thingId"]
    assert submission["properties"]["metadata"]["utm_source"] == "ads"
    consent = submission["properties"]["consent"][0]
    assert consent["text"] == "Send me the guide and tips"
    assert consent["pageVersion"] == 1
    assert consent["ip"]
    assert len(consent["textSha256"]) == 64
    # And the event, in the group's audit trail
    events = _events(owner, live, "form_submitted")
    assert [e["targetId"] for e in events] == [submission["thingId"]]
    assert events[0]["metadata"]["customerId"] == customers[0]["thingId"]

    # A second opt-in with the same email, in another case, updates the same customer
    again = _post(live, data=_form(live, email="ada@EXAMPLE.com", firstName="Ada L."))
    assert again.status_code == 303
    customers = _things(owner, live, "customer")
    assert len(customers) == 1
    assert customers[0]["properties"]["firstName"] == "Ada L."
    assert len(_things(owner, live, "form_submission")) == 2


def test_a_json_post_answers_201_and_a_replay_writes_once(owner, live):
    form = _form(live)
    first = _post(live, json=form)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "submitted"
    assert body["redirectTo"].endswith("/guide/thanks")
    # The same token again (a double click) is the first answer, written once
    replay = _post(live, json=form)
    assert replay.status_code == 201
    assert replay.json() == body
    assert replay.headers["idempotent-replayed"] == "true"
    # So is the same Idempotency-Key with a fresh token
    keyed = _post(live, json=_form(live), headers={"Idempotency-Key": "k-1"})
    keyed_again = _post(live, json=_form(live), headers={"Idempotency-Key": "k-1"})
    assert keyed_again.json()["submissionId"] == keyed.json()["submissionId"]
    assert len(_things(owner, live, "form_submission")) == 2
    assert len(_events(owner, live, "form_submitted")) == 2


def test_errors_come_back_beside_their_fields(owner, live):
    # A browser post gets its page back, each message beside its field, the values kept
    page = _post(live, data=_form(live, email="not-an-email", firstName="Grace <b>", consent=""))
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="f-email-error"' in page.text
    assert "Enter a valid email address" in page.text
    assert 'aria-describedby="f-consent-error"' in page.text
    assert 'value="Grace &lt;b&gt;"' in page.text
    assert 'role="alert"' in page.text
    assert "content-security-policy" in page.headers
    # A JSON post gets the API's error body
    answer = _post(live, json=_form(live, email="", budget="huge"))
    assert answer.status_code == 422
    fields = {problem["field"] for problem in answer.json()["error"]["fields"]}
    assert fields == {"email", "budget"}
    assert _things(owner, live, "form_submission") == []
    assert _things(owner, live, "customer") == []


def test_spam_is_kept_apart_and_answered_as_if_taken(owner, live):
    honeypot = _post(live, data=_form(live, website="http://spam.example"))
    too_fast = _post(live, data=_form(live, _token=_token(live["step"]["stepId"], age=0.5)))
    assert honeypot.status_code == too_fast.status_code == 303
    submissions = _things(owner, live, "form_submission")
    assert sorted(s["status"] for s in submissions) == ["spam", "spam"]
    assert _things(owner, live, "customer") == []
    assert _events(owner, live, "form_submitted") == []


@pytest.mark.parametrize(
    ("token", "status"),
    [("", 400), ("forged.token", 400), ("YWJj.ZGVm", 400)],
)
def test_a_missing_or_forged_token_is_refused(owner, live, token, status):
    answer = _post(live, json=_form(live, _token=token))
    assert answer.status_code == status
    assert answer.json()["error"]["fields"][0]["field"] == "_token"
    assert _things(owner, live, "form_submission") == []


def test_a_token_of_another_step_is_refused(live):
    answer = _post(live, json=_form(live, _token=_token("stp_someoneelse")))
    assert answer.status_code == 400


def test_bad_bodies_are_clear_4xx(live):
    assert (
        _post(live, data="x" * 70_000, headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 413
    )
    assert _post(live, data="<xml/>", headers={"Content-Type": "text/xml"}).status_code == 415
    assert _post(live, data="{not json", headers={"Content-Type": "application/json"}).status_code == 400
    assert _post(live, json=["a", "list"]).status_code == 400
    assert _post(live, json={"email": {"nested": 1}}).status_code == 400
    long_key = {"Idempotency-Key": "k" * 300}
    assert _post(live, json=_form(live), headers=long_key).status_code == 400


def test_a_flood_from_one_visitor_is_slowed_down(live):
    # The limit counts posts per minute window: a flood sent across a window's end would be
    # counted half in each, so this one starts early in a window.
    from funnel_core.leads.submissions import RATE_WINDOW_SECONDS

    into_window = time.time() % RATE_WINDOW_SECONDS
    if into_window > RATE_WINDOW_SECONDS - 20:
        time.sleep(RATE_WINDOW_SECONDS - into_window + 0.5)
    answers = [_post(live, json=_form(live, email=f"x{n}@example.com")).status_code for n in range(12)]
    assert answers[:10] == [201] * 10
    assert answers[10:] == [429, 429]
    refused = _post(live, json=_form(live))
    assert int(refused.headers["retry-after"]) >= 1


def test_the_groups_monthly_limit_is_enforced_in_the_write(owner, live):
    group = owner.get(f"/groups/{live['group']['groupId']}").json()
    settings = {**group["settings"], "limits": {**group["settings"]["limits"], "monthlyFormSubmissions": 1}}
    assert (
        owner.patch(f"/groups/{group['groupId']}", {"version": group["version"], "settings": settings}).status_code
        == 200
    )
    assert _post(live, json=_form(live)).status_code == 201
    refused = _post(live, json=_form(live, email="second@example.com"))
    assert refused.status_code == 429
    assert "form submissions" in refused.json()["error"]["message"]
    assert len(_things(owner, live, "form_submission")) == 1


def test_redirect_after_submit_never_leaves_for_another_path(owner, live):
    step_base = f"{live['base']}/steps/{live['step']['stepId']}"
    step = owner.get(step_base).json()
    for target, expected in [
        ("https://calendly.com/acme/intro", "https://calendly.com/acme/intro"),
        ("/thanks", f"/p/{live['group']['slug']}/guide/thanks"),
        ("/groups/elsewhere/admin", f"/p/{live['group']['slug']}/guide/thanks"),
    ]:
        properties = {**step["properties"], "redirectAfterSubmit": target}
        updated = owner.patch(step_base, {"version": step["version"], "properties": properties})
        assert updated.status_code == 200, updated.text
        step = updated.json()
        assert owner.post(f"{live['base']}/publish").status_code == 200
        answer = _post(live, data=_form(live, email=f"r{len(target)}@example.com"))
        assert answer.status_code == 303
        assert answer.headers["location"] == expected


def test_a_post_to_no_live_page_is_the_404_page(api):
    answer = requests.post(f"{api.url}/p/nobody/none/x/submit", data={"email": "a@b.co"}, timeout=10)
    assert answer.status_code == 404
    assert "This page is not available" in answer.text


def test_a_returning_visitor_who_gives_only_the_email_is_the_same_customer(owner, api):
    # Given an opt-in page that asks for nothing but the email
    group = owner.create_group("Email Only", slug=f"email-only-{owner.person_id[-8:]}")
    funnel = owner.create_funnel(group["groupId"], "Plain", slug="plain")
    step = owner.add_step(group["groupId"], funnel["funnelId"], "Opt-in", "opt_in_page", slug="in")
    assert owner.post(f"/groups/{group['groupId']}/funnels/{funnel['funnelId']}/publish").status_code == 200
    url = f"{api.url}/p/{group['slug']}/plain/in/submit"
    for _ in range(2):
        body = {"_token": _token(step["stepId"]), "email": "Sam@Example.com"}
        answer = requests.post(url, json=body, headers={"User-Agent": BROWSER}, timeout=10)
        assert answer.status_code == 201, answer.text
    customers = owner.get(f"/groups/{group['groupId']}/things", params={"type": "customer"}).json()["items"]
    assert [customer["properties"]["email"] for customer in customers] == ["sam@example.com"]


def test_the_owner_lists_and_exports_the_submissions(owner, new_user, live):
    # Given three posts: two people and a bot
    _post(live, data=_form(live, firstName='=HYPERLINK("http://evil")', email="one@example.com"))
    _post(live, data=_form(live, firstName="Zoë", email="two@example.com", consent=""))
    _post(live, data=_form(live, website="spam"))
    base = f"{live['base']}/submissions"

    # The list is newest first, filtered by status and step
    listed = owner.get(base)
    assert listed.status_code == 200, listed.text
    assert [s["status"] for s in listed.json()["items"]] == ["spam", "submitted"]
    wanted = {"status": "submitted", "stepId": live["step"]["stepId"], "limit": 1}
    emails, cursor = [], None
    for _ in range(5):  # a filtered page may come back short, its cursor leading on
        page = owner.get(base, params={**wanted, **({"cursor": cursor} if cursor else {})}).json()
        emails += [s["properties"]["data"]["email"] for s in page["items"]]
        if page["nextCursor"] is None:
            break
        cursor = page["nextCursor"]
        # A cursor is only good for the query it came from
        assert owner.get(base, params={"status": "spam", "cursor": cursor}).status_code == 400
    assert emails == ["one@example.com"]
    assert owner.get(base, params={"from": "2030-01-01T00:00:00Z", "to": "2020-01-01T00:00:00Z"}).status_code == 400
    assert owner.get(base, params={"status": "maybe"}).status_code == 400

    # The export is a CSV at a short-lived URL: UTF-8, a column per field, formulas neutralized
    exported = owner.get(f"{base}/export", params={"status": "submitted"}, allow_redirects=False)
    assert exported.status_code == 303, exported.text
    assert exported.json()["rows"] == 1
    csv_file = requests.get(exported.headers["location"], timeout=10)
    assert csv_file.status_code == 200
    text = csv_file.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(",")[:6] == ["submittedAt", "submissionId", "status", "stepId", "customerId", "email"]
    assert "firstName" in header
    assert "'=HYPERLINK" in row

    # A group_user assigned to the funnel may read the list but not export it; a stranger neither
    helper = new_user()
    group_id = live["group"]["groupId"]
    assert owner.put(f"/groups/{group_id}/members/{helper.person_id}", {"role": "group_user"}).status_code in (200, 201)
    assert owner.put(f"{live['base']}/assignees/{helper.person_id}").status_code in (200, 201)
    assert helper.get(base).status_code == 200
    assert helper.get(f"{base}/export", allow_redirects=False).status_code == 403
    assert new_user().get(base).status_code == 404


def test_oversized_and_control_character_values_are_refused_or_kept_as_text(owner, live):
    too_long = _post(live, json=_form(live, firstName="x" * 2000))
    assert too_long.status_code == 422
    assert [p["field"] for p in too_long.json()["error"]["fields"]] == ["firstName"]
    header_injection = _post(live, json=_form(live, firstName="Ada\r\nSet-Cookie: evil=1"))
    assert header_injection.status_code == 201
    assert "evil" not in header_injection.headers.get("set-cookie", "")
    [submission] = _things(owner, live, "form_submission")
    assert submission["properties"]["data"]["firstName"] == "Ada\r\nSet-Cookie: evil=1"


def test_an_owner_erases_a_customers_personal_data_and_counts_stay(owner, new_user, live):
    # Given a customer who opted in twice
    for name in ("Ada", "Ada L."):
        assert _post(live, data=_form(live, firstName=name)).status_code == 303
    [customer] = _things(owner, live, "customer")
    group_id = live["group"]["groupId"]

    # A group_user may not erase; the owner may
    helper = new_user()
    assert owner.put(f"/groups/{group_id}/members/{helper.person_id}", {"role": "group_user"}).status_code in (200, 201)
    assert helper.post(f"/groups/{group_id}/customers/{customer['thingId']}/erase").status_code == 403
    erased = owner.post(f"/groups/{group_id}/customers/{customer['thingId']}/erase")
    assert erased.status_code == 200, erased.text
    assert erased.json()["submissions"] == 2

    # The customer's details and their submissions' data are gone, the submissions are still counted
    after = owner.get(f"/groups/{group_id}/things/{customer['thingId']}").json()
    assert after["name"] == "Erased customer"
    assert after["properties"] == {}
    listed = owner.get(f"{live['base']}/submissions").json()["items"]
    assert len(listed) == 2
    for submission in listed:
        assert submission["properties"]["data"] == {}
        assert "ip" not in submission["properties"]["consent"][0]
        assert submission["properties"]["consent"][0]["textSha256"]
    assert "ada@example.com" not in json.dumps(
        owner.get(f"/groups/{group_id}/things", params={"type": "form_submission"}).json()
    )
    events = owner.get(f"/groups/{group_id}/events", params={"targetId": customer["thingId"]}).json()["items"]
    assert events[0]["metadata"]["erased"] is True
    # And the same email opting in again is a new customer
    assert _post(live, data=_form(live)).status_code == 303
    assert len([c for c in _things(owner, live, "customer") if c["status"] != "archived"]) == 1
    assert owner.post(f"/groups/{group_id}/customers/thg_nobody/erase").status_code == 404


def test_one_customer_per_email_whichever_route_makes_them(owner, live):
    """The guard a form post keeps holds for the generic thing routes too: a second customer with
    the same email is a 409 naming the first, an edit or an archive moves the email with them."""
    things_url = f"/groups/{live['group']['groupId']}/things"
    made = owner.post(things_url, {"type": "customer", "name": "Ada", "properties": {"email": "ADA@example.com"}})
    assert made.status_code == 201, made.text
    customer = made.json()
    assert customer["properties"]["email"] == "ada@example.com"
    twin = owner.post(things_url, {"type": "customer", "name": "Ada", "properties": {"email": "ada@EXAMPLE.com"}})
    assert twin.status_code == 409
    assert customer["thingId"] in twin.json()["error"]["message"]

    posted = _post(live, json=_form(live))  # Ada@Example.COM
    assert posted.status_code == 201, posted.text
    assert posted.json()["customerId"] == customer["thingId"]

    current = owner.get(f"{things_url}/{customer['thingId']}").json()
    moved = owner.patch(
        f"{things_url}/{customer['thingId']}",
        {"version": current["version"], "properties": {**current["properties"], "email": "ada@lovelace.dev"}},
    )
    assert moved.status_code == 200, moved.text
    again = _post(live, json=_form(live, _token=_token(live["step"]["stepId"])))
    assert again.json()["customerId"] != customer["thingId"]  # the old address is someone new now
    taken = owner.post(things_url, {"type": "customer", "name": "X", "properties": {"email": "ada@lovelace.dev"}})
    assert taken.status_code == 409

    assert owner.delete(f"{things_url}/{customer['thingId']}").status_code in (200, 204)
    freed = owner.post(things_url, {"type": "customer", "name": "Y", "properties": {"email": "ada@lovelace.dev"}})
    assert freed.status_code == 201, freed.text
