"""The ontology's key design: groups, people, memberships, things, connections and knowledge.
docs/data-model.md has the whole table. Nothing outside an area's ``store`` builds a key.

Base table ``PK``/``SK``; three overloaded global secondary indexes ``GSI1``..``GSI3``, each
with ``GSInPK``/``GSInSK``. Items of other areas that are things or connections (a funnel, a
step, an assignment) join the indexes defined here, so they list with every other thing or
connection of the group.
"""

from __future__ import annotations

import hashlib
from typing import Final

from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK, group_pk

GSI1, GSI2, GSI3 = "GSI1", "GSI2", "GSI3"

# Sort-key prefixes inside a group's partition.
MEMBER: Final = "MEMBER#"
THING: Final = "THING#"
CONNECTION: Final = "CONN#"
CONNECTION_GUARD: Final = "CONNKEY#"
KNOWLEDGE: Final = "KNOW#"
KNOWLEDGE_LABEL: Final = "KLABEL#"
# A partition per guard: one customer per normalized email in a group.
CUSTOMER_EMAIL: Final = "#CUSTOMEREMAIL#"

register(
    Prefixes(
        area="ontology",
        partitions=("GROUPSLUG#", "CHILDREN#", "PERSON#"),
        group_partitions=("#TYPE#", "#STATUS#", "#FROM#", "#TO#", "#SOURCE#", CUSTOMER_EMAIL),
        sorts=(MEMBER, THING, CONNECTION, CONNECTION_GUARD, KNOWLEDGE, KNOWLEDGE_LABEL),
        ids=("grp_", "thg_", "con_", "knw_"),
    )
)


def group_slug_key(slug: str) -> dict[str, str]:
    return {PK: f"GROUPSLUG#{slug}", SK: "GROUPSLUG"}


def children_pk(parent_id: str) -> str:
    return f"CHILDREN#{parent_id}"


def group_index(parent_id: str | None, created_at: str, group_id: str) -> dict[str, str]:
    if parent_id is None:
        return {}
    return {"GSI1PK": children_pk(parent_id), "GSI1SK": f"{created_at}#{group_id}"}


def person_key(person_id: str) -> dict[str, str]:
    return {PK: f"PERSON#{person_id}", SK: "PROFILE"}


def membership_key(group_id: str, person_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{MEMBER}{person_id}"}


def memberships_of_person_pk(person_id: str) -> str:
    return f"PERSON#{person_id}#GROUPS"


def membership_index(group_id: str, person_id: str) -> dict[str, str]:
    return {"GSI1PK": memberships_of_person_pk(person_id), "GSI1SK": group_pk(group_id)}


def thing_key(group_id: str, thing_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{THING}{thing_id}"}


def customer_email_key(group_id: str, email: str) -> dict[str, str]:
    # Hashed: a key is visible in logs and metrics, an email address must not be.
    digest = hashlib.sha256(email.encode()).hexdigest()[:40]
    return {PK: f"{group_pk(group_id)}{CUSTOMER_EMAIL}{digest}", SK: "CUSTOMEREMAIL"}


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
