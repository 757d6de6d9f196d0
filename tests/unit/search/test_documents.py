"""What the index holds for a table item: its words, chunked, under the tenant and the entity a
result shows."""

from __future__ import annotations

from funnel_core.builder.catalog import system_funnel_templates
from funnel_core.search.documents import (
    CATALOG_GROUP,
    CHUNK_OVERLAP,
    CHUNK_WORDS,
    MAX_CHUNKS,
    chunked,
    gone,
    plain_text,
    source_of,
    template_source,
)

G = "grp_01TEST"


def test_plain_text_keeps_the_words_a_visitor_reads_and_drops_markup_links_and_settings():
    settings = {
        "headline": "<h1>Free <b>webinar</b></h1>",
        "imageUrl": "https://cdn.example.com/a.png",
        "text": "https://example.com",
        "color": "#ff0000",
        "items": [{"question": "When?", "answer": "Tuesday &amp; Thursday"}, {"url": "/x"}],
        "padding": 12,
    }

    assert plain_text(settings) == "Free webinar When? Tuesday & Thursday"


def test_long_text_is_cut_in_overlapping_windows_and_capped():
    words = [f"w{n}" for n in range(CHUNK_WORDS * 2)]

    chunks = chunked(" ".join(words))

    assert [len(chunk.split()) for chunk in chunks[:2]] == [CHUNK_WORDS, CHUNK_WORDS]
    # the second window starts CHUNK_OVERLAP words before the first ends
    assert chunks[1].split()[0] == words[CHUNK_WORDS - CHUNK_OVERLAP]
    assert chunks[-1].split()[-1] == words[-1]
    assert chunked("") == []
    assert chunked("one two") == ["one two"]
    assert len(chunked("x " * (CHUNK_WORDS * MAX_CHUNKS * 2))) == MAX_CHUNKS


def test_a_knowledge_item_is_its_own_entity_with_its_labels():
    item = {
        "PK": f"GROUP#{G}",
        "SK": "KNOW#knw_1",
        "groupId": G,
        "knowledgeId": "knw_1",
        "knowledgeType": "chunk",
        "text": "Webinar attendees buy more",
        "labels": ["webinar"],
    }

    source = source_of(item)

    assert source is not None
    [chunk] = source.chunks
    assert (chunk.doc_id, chunk.entity_id, chunk.kind, chunk.group_id) == (f"{G}/knw_1#0", "knw_1", "knowledge", G)
    assert chunk.extra["labels"] == ["webinar"]


def test_an_element_is_found_as_its_step_of_its_funnel():
    item = {
        "PK": f"GROUP#{G}#FUNNEL#fnl_1",
        "SK": "STEP#stp_1#EL#elm_1",
        "groupId": G,
        "funnelId": "fnl_1",
        "stepId": "stp_1",
        "elementId": "elm_1",
        "elementType": "headline",
        "settings": {"text": "Save your seat"},
    }

    source = source_of(item)

    assert source is not None
    [chunk] = source.chunks
    assert (chunk.entity_id, chunk.kind, chunk.funnel_id, chunk.text) == (
        "stp_1",
        "funnel_step",
        "fnl_1",
        "Save your seat",
    )


def test_what_search_ignores_and_what_it_removes():
    archived_funnel = {"PK": f"GROUP#{G}#FUNNEL#fnl_1", "SK": "FUNNEL", "groupId": G, "funnelId": "fnl_1"}
    archived_funnel["status"] = "archived"
    person = {"PK": f"GROUP#{G}", "SK": "THING#thg_1", "groupId": G, "thingId": "thg_1", "type": "customer"}
    version = {"PK": f"GROUP#{G}#FUNNELVERSIONS#fnl_1", "SK": "STEP#x", "groupId": G}
    archived_group = {"PK": f"GROUP#{G}", "SK": "GROUP", "groupId": G, "status": "archived"}

    assert source_of(person) is None  # people and money are never indexed
    assert source_of(version) is None  # published snapshots are not content to find twice
    assert source_of({"SK": "FUNNEL"}) is None  # no tenant, nothing
    funnel = source_of(archived_funnel)
    assert funnel is not None
    assert funnel.removes_funnel
    assert not funnel.chunks
    group = source_of(archived_group)
    assert group is not None
    assert group.removes_group
    deleted = gone({**archived_funnel, "status": "live"})
    assert deleted is not None
    assert deleted.removes_funnel
    assert not deleted.chunks


def test_a_system_template_carries_its_steps_words():
    webinar = next(t for t in system_funnel_templates() if "webinar" in t.templateId)

    source = template_source(CATALOG_GROUP, webinar.model_dump(mode="json"))

    text = " ".join(chunk.text for chunk in source.chunks)
    assert source.chunks[0].kind == "funnel_template"
    assert webinar.name in text
    assert webinar.steps[0].name in text
