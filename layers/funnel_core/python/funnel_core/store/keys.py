"""The key design of the single table. Nothing outside ``store`` builds a key.

Base table ``PK``/``SK``; three overloaded global secondary indexes ``GSI1``..``GSI3``, each
with ``GSInPK``/``GSInSK``. Every tenant-owned item's partition key starts with its group id,
so a query can only ever reach one tenant's items. docs/data-model.md has the whole table.
"""

from __future__ import annotations

from typing import Final

PK: Final = "PK"
SK: Final = "SK"
GSI1, GSI2, GSI3 = "GSI1", "GSI2", "GSI3"

# Sort-key prefixes inside a group's partition.
GROUP_META: Final = "GROUP"
MEMBER: Final = "MEMBER#"
THING: Final = "THING#"
CONNECTION: Final = "CONN#"
CONNECTION_GUARD: Final = "CONNKEY#"
KNOWLEDGE: Final = "KNOW#"
KNOWLEDGE_LABEL: Final = "KLABEL#"


def group_pk(group_id: str) -> str:
    return f"GROUP#{group_id}"


def events_pk(group_id: str) -> str:
    return f"EVENTS#{group_id}"


def group_key(group_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: GROUP_META}


def group_slug_key(slug: str) -> dict[str, str]:
    return {PK: f"GROUPSLUG#{slug}", SK: "GROUPSLUG"}


def group_index(parent_id: str | None, created_at: str, group_id: str) -> dict[str, str]:
    if parent_id is None:
        return {}
    return {"GSI1PK": children_pk(parent_id), "GSI1SK": f"{created_at}#{group_id}"}


def children_pk(parent_id: str) -> str:
    return f"CHILDREN#{parent_id}"


def person_key(person_id: str) -> dict[str, str]:
    return {PK: f"PERSON#{person_id}", SK: "PROFILE"}


def membership_key(group_id: str, person_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{MEMBER}{person_id}"}


def memberships_of_person_pk(person_id: str) -> str:
    return f"PERSON#{person_id}#GROUPS"


def membership_index(group_id: str, person_id: str) -> dict[str, str]:
    return {"GSI1PK": memberships_of_person_pk(person_id), "GSI1SK": group_pk(group_id)}


def thing_key(group_id: str, thing_id: str) -> dict[str, str]:
    if thing_id.startswith(FUNNEL_ID_PREFIX):
        # A funnel is a thing too, but its item lives with its steps and elements.
        return funnel_key(group_id, thing_id)
    return {PK: group_pk(group_id), SK: f"{THING}{thing_id}"}


def things_by_type_pk(group_id: str, thing_type: str) -> str:
    return f"{group_pk(group_id)}#TYPE#{thing_type}"


def things_by_type_status_pk(group_id: str, thing_type: str, status: str) -> str:
    return f"{group_pk(group_id)}#TYPE#{thing_type}#STATUS#{status}"


def things_by_status_pk(group_id: str, status: str) -> str:
    return f"{group_pk(group_id)}#STATUS#{status}"


def thing_index(group_id: str, thing_type: str, status: str, thing_id: str) -> dict[str, str]:
    # Thing ids are ULIDs, so sorting on them sorts by creation time.
    return {
        "GSI1PK": things_by_type_pk(group_id, thing_type),
        "GSI1SK": thing_id,
        "GSI2PK": things_by_type_status_pk(group_id, thing_type, status),
        "GSI2SK": thing_id,
        "GSI3PK": things_by_status_pk(group_id, status),
        "GSI3SK": thing_id,
    }


def connection_key(group_id: str, connection_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{CONNECTION}{connection_id}"}


def connection_guard_key(group_id: str, from_id: str, relationship: str, to_id: str) -> dict[str, str]:
    """One item per live (from, relationship, to): a second live copy fails its condition."""
    return {PK: group_pk(group_id), SK: f"{CONNECTION_GUARD}{from_id}#{relationship}#{to_id}"}


def connections_out_pk(group_id: str, thing_id: str) -> str:
    return f"{group_pk(group_id)}#FROM#{thing_id}"


def connections_in_pk(group_id: str, thing_id: str) -> str:
    return f"{group_pk(group_id)}#TO#{thing_id}"


def connection_index(group_id: str, from_id: str, to_id: str, relationship: str, connection_id: str) -> dict[str, str]:
    sort = f"{relationship}#{connection_id}"
    return {
        "GSI1PK": connections_out_pk(group_id, from_id),
        "GSI1SK": sort,
        "GSI2PK": connections_in_pk(group_id, to_id),
        "GSI2SK": sort,
    }


def event_key(group_id: str, timestamp: str, event_id: str) -> dict[str, str]:
    return {PK: events_pk(group_id), SK: f"{timestamp}#{event_id}"}


def events_by_target_pk(group_id: str, target_id: str) -> str:
    return f"{events_pk(group_id)}#TARGET#{target_id}"


def events_by_actor_pk(group_id: str, actor_id: str) -> str:
    return f"{events_pk(group_id)}#ACTOR#{actor_id}"


def events_by_type_pk(group_id: str, event_type: str) -> str:
    return f"{events_pk(group_id)}#TYPE#{event_type}"


def event_index(
    group_id: str, target_id: str, actor_id: str, event_type: str, timestamp: str, event_id: str
) -> dict[str, str]:
    sort = f"{timestamp}#{event_id}"
    return {
        "GSI1PK": events_by_target_pk(group_id, target_id),
        "GSI1SK": sort,
        "GSI2PK": events_by_actor_pk(group_id, actor_id),
        "GSI2SK": sort,
        "GSI3PK": events_by_type_pk(group_id, event_type),
        "GSI3SK": sort,
    }


def knowledge_key(group_id: str, knowledge_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{KNOWLEDGE}{knowledge_id}"}


def knowledge_label_key(group_id: str, label: str, knowledge_id: str) -> dict[str, str]:
    """A copy of a knowledge item under each of its labels, so a label lists with one Query."""
    return {PK: group_pk(group_id), SK: f"{KNOWLEDGE_LABEL}{label}#{knowledge_id}"}


def knowledge_by_source_pk(group_id: str, source_thing_id: str) -> str:
    return f"{group_pk(group_id)}#SOURCE#{source_thing_id}"


def knowledge_index(group_id: str, source_thing_id: str | None, knowledge_id: str) -> dict[str, str]:
    if source_thing_id is None:
        return {}
    return {"GSI1PK": knowledge_by_source_pk(group_id, source_thing_id), "GSI1SK": knowledge_id}


KEY_ATTRIBUTES: Final = frozenset(
    {PK, SK, "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "entity"},
)


# ---------------------------------------------------------------- the funnel aggregate
#
# A funnel, its steps and their elements share one item collection, so "the funnel with all its
# steps and elements" is a single Query. Published versions live in a partition of their own so
# that Query never drags the frozen snapshots along.

FUNNEL_META: Final = "FUNNEL"
# Funnel ids are made with this prefix (``ids.new_id("fnl")``), which is how a generic thing
# route finds a funnel's item by id.
FUNNEL_ID_PREFIX: Final = "fnl_"
STEP: Final = "STEP#"
ELEMENT: Final = "#EL#"
STEP_SLUG: Final = "STEPSLUG#"


def funnel_pk(group_id: str, funnel_id: str) -> str:
    return f"{group_pk(group_id)}#FUNNEL#{funnel_id}"


def funnel_key(group_id: str, funnel_id: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: FUNNEL_META}


def step_key(group_id: str, funnel_id: str, step_id: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: f"{STEP}{step_id}"}


def element_key(group_id: str, funnel_id: str, step_id: str, element_id: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: f"{STEP}{step_id}{ELEMENT}{element_id}"}


# A step is also the ``funnel_contains_step`` connection from its funnel, and an element the
# ``step_contains_element`` connection from its step: their items carry the connection index
# entries, so they list with every other connection of the parent and the child. Their
# ``sequence`` and ``position`` are read from the parent's order list when they are listed, so the
# connections are true by construction and a reorder rewrites nothing but the parent.
FUNNEL_CONTAINS_STEP: Final = "funnel_contains_step"
STEP_CONTAINS_ELEMENT: Final = "step_contains_element"
CONTAINMENT_RELATIONSHIPS: Final = frozenset({FUNNEL_CONTAINS_STEP, STEP_CONTAINS_ELEMENT})
_CONTAINMENT_ID_PREFIX: Final = "con_"
STEP_ID_PREFIX: Final = "stp_"
ELEMENT_ID_PREFIX: Final = "elm_"


def containment_connection_id(child_id: str) -> str:
    """The id of the containment connection into a step or element: fixed by the child's id."""
    return f"{_CONTAINMENT_ID_PREFIX}{child_id}"


def is_funnel_part(thing_id: str) -> bool:
    """Steps and elements are made with these prefixes (``ids.new_id("stp")``, ``"elm"``)."""
    return thing_id.startswith((STEP_ID_PREFIX, ELEMENT_ID_PREFIX))


def contained_id(containment_connection_id: str) -> str:
    """The step or element a containment connection leads to."""
    return containment_connection_id.removeprefix(_CONTAINMENT_ID_PREFIX)


def is_containment_connection_id(connection_id: str) -> bool:
    return connection_id.startswith(
        (f"{_CONTAINMENT_ID_PREFIX}{STEP_ID_PREFIX}", f"{_CONTAINMENT_ID_PREFIX}{ELEMENT_ID_PREFIX}")
    )


def step_index(group_id: str, funnel_id: str, step_id: str) -> dict[str, str]:
    connection_id = containment_connection_id(step_id)
    return connection_index(group_id, funnel_id, step_id, FUNNEL_CONTAINS_STEP, connection_id)


def element_index(group_id: str, step_id: str, element_id: str) -> dict[str, str]:
    connection_id = containment_connection_id(element_id)
    return connection_index(group_id, step_id, element_id, STEP_CONTAINS_ELEMENT, connection_id)


def step_slug_key(group_id: str, funnel_id: str, slug: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: f"{STEP_SLUG}{slug}"}


def funnel_name_key(group_id: str, name: str) -> dict[str, str]:
    """Funnel names are unique per group, case-insensitively."""
    return {PK: group_pk(group_id), SK: f"FUNNELNAME#{name.casefold()}"}


def funnel_slug_key(group_id: str, slug: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"FUNNELSLUG#{slug}"}


def funnel_versions_pk(group_id: str, funnel_id: str) -> str:
    return f"{group_pk(group_id)}#FUNNELVERSIONS#{funnel_id}"


VERSION: Final = "VERSION#"
VERSION_PART: Final = "PART#"


def funnel_version_key(group_id: str, funnel_id: str, number: int) -> dict[str, str]:
    return {PK: funnel_versions_pk(group_id, funnel_id), SK: f"{VERSION}{number:06d}"}


def version_parts_prefix(number: int) -> str:
    return f"{VERSION_PART}{number:06d}#"


def funnel_version_part_key(group_id: str, funnel_id: str, number: int, part: int) -> dict[str, str]:
    """A published version is a compressed snapshot cut into parts under DynamoDB's 400 KB item limit."""
    return {PK: funnel_versions_pk(group_id, funnel_id), SK: f"{version_parts_prefix(number)}{part:03d}"}


def group_template_key(group_id: str, template_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"TEMPLATE#{template_id}"}


GROUP_TEMPLATE: Final = "TEMPLATE#"


def template_usage_key(template_id: str) -> dict[str, str]:
    """How often a system template was used, across all groups: a count, no tenant data."""
    return {PK: f"TEMPLATEUSAGE#{template_id}", SK: "USAGE"}


ASSIGNMENT: Final = "ASSIGN#"


def assignment_key(group_id: str, person_id: str, funnel_id: str) -> dict[str, str]:
    """A group_user's assignment to a funnel (the ``assigned_to`` connection), keyed so that
    authorization reads it by (person, funnel) and a person's funnels list with one Query."""
    return {PK: group_pk(group_id), SK: f"{ASSIGNMENT}{person_id}#{funnel_id}"}


def assignments_of_prefix(person_id: str) -> str:
    return f"{ASSIGNMENT}{person_id}#"
