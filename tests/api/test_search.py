"""GET /groups/{g}/search and similar templates over real HTTP: the stream indexes what the API
writes (the local stack's poller, osmem-server and faiss behind OpenSearch's API, the hashing
embedder), and each caller finds only what they may read. The real model's semantic retrieval
is tests/integration/test_semantic_search.py."""

from __future__ import annotations

import time

import pytest

from funnel_core.search import backfill

WEBINAR_TEMPLATE = "tpl_sys_webinar-registration"


def _eventually(check, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def _search(user, group_id, q, **params):
    response = user.get(f"/groups/{group_id}/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _ids(answer):
    return [item["id"] for item in answer["items"]]


@pytest.fixture
def shop(owner):
    group_id = owner.create_group(name="Searchable Co")["groupId"]
    webinar = owner.post(f"/groups/{group_id}/funnels", {"name": "Spring webinar", "templateId": WEBINAR_TEMPLATE})
    assert webinar.status_code == 201, webinar.text
    other = owner.create_funnel(group_id, name="Shoe store")
    note = owner.post(
        f"/groups/{group_id}/knowledge",
        {"knowledgeType": "chunk", "text": "Attendees who stay to the end of a webinar buy twice as often"},
    ).json()
    # Indexed once the last write is: the stream keeps one item's records in order
    assert _eventually(lambda: note["knowledgeId"] in _ids(_search(owner, group_id, "attendees", mode="text")))
    return group_id, webinar.json(), other, note


def test_text_search_finds_funnels_steps_and_knowledge_by_their_words(owner, shop):
    group_id, webinar, other, note = shop

    answer = _search(owner, group_id, "webinar masterclass", mode="text", limit=50)

    # the funnel by its name, its steps by their pages' words, the note by its text
    kinds = {item["kind"] for item in answer["items"]}
    assert {"funnel", "funnel_step", "knowledge"} <= kinds
    assert webinar["funnelId"] in _ids(answer)
    assert {step["stepId"] for step in webinar["steps"]} <= set(_ids(answer))
    assert note["knowledgeId"] in _ids(answer)
    assert other["funnelId"] not in _ids(answer)
    first = next(item for item in answer["items"] if item["id"] == webinar["funnelId"])
    assert first["title"] == "Spring webinar"
    assert any("<mark>" in fragment for fragment in first["highlight"])
    assert len(set(_ids(answer))) == len(_ids(answer))  # one result per entity, however many chunks matched


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_semantic_and_hybrid_rank_the_closest_first(owner, shop, mode):
    group_id, _, other, _ = shop

    answer = _search(owner, group_id, "Shoe store", mode=mode, type="funnel")

    assert _ids(answer)[0] == other["funnelId"]
    assert {item["kind"] for item in answer["items"]} == {"funnel"}
    scores = [item["score"] for item in answer["items"]]
    assert scores == sorted(scores, reverse=True)


def test_the_knowledge_item_says_which_model_embedded_it(owner, shop):
    group_id, _, _, note = shop

    def embedded():
        items = owner.get(f"/groups/{group_id}/knowledge").json()["items"]
        return next((k for k in items if k["knowledgeId"] == note["knowledgeId"] and k.get("embeddingModel")), None)

    item = _eventually(embedded)
    assert item is not None
    assert (item["embeddingModel"], item["embeddingDim"]) == ("hashing-v1-256", 256)


def test_pages_follow_the_signed_cursor_and_only_for_the_same_query(owner, shop):
    group_id, *_ = shop
    first = _search(owner, group_id, "webinar masterclass", mode="text", limit=2)
    assert first["nextCursor"]

    second = _search(owner, group_id, "webinar masterclass", mode="text", limit=2, cursor=first["nextCursor"])
    other_query = owner.get(
        f"/groups/{group_id}/search", params={"q": "shoe", "mode": "text", "limit": 2, "cursor": first["nextCursor"]}
    )

    assert not set(_ids(first)) & set(_ids(second))
    assert other_query.status_code == 400


def test_a_group_user_finds_only_the_funnels_assigned_to_them(owner, new_user, shop):
    group_id, _, other, _ = shop
    member = new_user()
    assert owner.put(f"/groups/{group_id}/members/{member.person_id}", {"role": "group_user"}).status_code in (200, 201)
    assert owner.put(f"/groups/{group_id}/funnels/{other['funnelId']}/assignees/{member.person_id}").status_code in (
        200,
        204,
    )

    words = _search(member, group_id, "webinar masterclass shoe attendees", mode="text", limit=50)
    meaning = _search(member, group_id, "webinar", mode="semantic", limit=50)

    assert _ids(words) == [other["funnelId"]]
    assert {item.get("funnelId") for item in meaning["items"]} == {other["funnelId"]}


def test_another_tenant_and_bad_input_are_refused_by_name(owner, stranger, shop):
    group_id, *_ = shop

    assert stranger.get(f"/groups/{group_id}/search", params={"q": "webinar"}).status_code == 404
    for params, field in [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 501}, "q"),
        ({"q": "x", "mode": "fuzzy"}, "mode"),
        ({"q": "x", "limit": 0}, "limit"),
        ({"q": "x", "limit": 51}, "limit"),
        ({"q": "x", "type": "Funnel; DROP"}, "type"),
        ({"q": "x", "cursor": "not-a-cursor"}, "cursor"),
    ]:
        response = owner.get(f"/groups/{group_id}/search", params=params)
        assert response.status_code == 400, (params, response.text)
        assert field in response.text, (params, response.text)


def test_an_archived_funnel_leaves_the_results_with_its_steps(owner, shop):
    group_id, webinar, *_ = shop
    assert owner.delete(f"/groups/{group_id}/funnels/{webinar['funnelId']}").status_code in (200, 204)

    def gone():
        found = _search(owner, group_id, "webinar", mode="text", limit=50)["items"]
        return not [item for item in found if item.get("funnelId") == webinar["funnelId"]]

    assert _eventually(gone)


def test_similar_templates_of_a_funnel_made_from_one_start_with_it(owner, stranger, shop, integration):
    group_id, webinar, *_ = shop
    backfill.service().catalog()  # what make search-backfill does once after a deploy
    path = f"/groups/{group_id}/funnels/{webinar['funnelId']}/similar-templates"

    funnels = owner.get(path, params={"limit": 3})
    step = owner.get(path, params={"stepId": webinar["steps"][0]["stepId"], "limit": 3})

    assert funnels.status_code == 200, funnels.text
    assert funnels.json()["items"][0]["id"] == WEBINAR_TEMPLATE
    assert {item["kind"] for item in funnels.json()["items"]} == {"funnel_template"}
    assert step.status_code == 200, step.text
    assert step.json()["items"][0]["id"].startswith(f"{WEBINAR_TEMPLATE}__")
    assert {item["kind"] for item in step.json()["items"]} == {"page_template"}
    assert owner.get(f"{path[: path.index('/funnels/')]}/funnels/fnl_nope/similar-templates").status_code == 404
    assert stranger.get(path).status_code == 404
