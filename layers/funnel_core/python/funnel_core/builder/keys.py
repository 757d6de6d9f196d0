"""The builder's key design: the funnel aggregate, its published versions, group templates,
assignments. docs/data-model.md has the whole table.

A funnel, its steps and their elements share one item collection, so "the funnel with all its
steps and elements" is a single Query. Published versions live in a partition of their own so
that Query never drags the frozen snapshots along. A funnel is a thing, a step the
``funnel_contains_step`` connection from its funnel, an element the ``step_contains_element``
connection from its step, an assignment the ``assigned_to`` connection from a person: their
items join the ontology's thing and connection indexes (``ontology.keys``), so they list with
every other thing and connection of the group.
"""

from __future__ import annotations

from typing import Final

from funnel_core.ontology.keys import connection_index
from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK, group_pk

FUNNEL_META: Final = "FUNNEL"
FUNNEL_ID_PREFIX: Final = "fnl_"
STEP_ID_PREFIX: Final = "stp_"
ELEMENT_ID_PREFIX: Final = "elm_"
STEP: Final = "STEP#"
ELEMENT: Final = "#EL#"
STEP_SLUG: Final = "STEPSLUG#"
VERSION: Final = "VERSION#"
VERSION_PART: Final = "PART#"
GROUP_TEMPLATE: Final = "TEMPLATE#"
ASSIGNMENT: Final = "ASSIGN#"
FUNNEL_NAME: Final = "FUNNELNAME#"
FUNNEL_SLUG: Final = "FUNNELSLUG#"
CUSTOM_CODE: Final = "CODE#"
CUSTOM_CODE_ID_PREFIX: Final = "cod_"
# Products are thing items of the ontology (its keys); only their ids are the builder's.
PRODUCT_ID_PREFIX: Final = "prd_"
AB_TEST: Final = "ABTEST#"
AB_TEST_ID_PREFIX: Final = "abt_"
# From an A/B test to each of its arms (metadata: role control or variant, weight).
AB_TEST_VARIANT: Final = "ab_test_variant"

FUNNEL_CONTAINS_STEP: Final = "funnel_contains_step"
STEP_CONTAINS_ELEMENT: Final = "step_contains_element"
# From a step to the product it sells (``sales.py``): a connection item of the ontology.
LEADS_TO_PRODUCT: Final = "funnel_leads_to_product"
_CONTAINMENT_ID_PREFIX: Final = "con_"

register(
    Prefixes(
        area="builder",
        partitions=("TEMPLATEUSAGE#",),
        group_partitions=("#FUNNEL#", "#FUNNELVERSIONS#"),
        sorts=(FUNNEL_NAME, FUNNEL_SLUG, GROUP_TEMPLATE, ASSIGNMENT),
        ids=(
            FUNNEL_ID_PREFIX,
            STEP_ID_PREFIX,
            ELEMENT_ID_PREFIX,
            CUSTOM_CODE_ID_PREFIX,
            PRODUCT_ID_PREFIX,
            AB_TEST_ID_PREFIX,
            "tpl_",
        ),
    )
)


def funnel_pk(group_id: str, funnel_id: str) -> str:
    return f"{group_pk(group_id)}#FUNNEL#{funnel_id}"


def funnel_key(group_id: str, funnel_id: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: FUNNEL_META}


def step_key(group_id: str, funnel_id: str, step_id: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: f"{STEP}{step_id}"}


def element_key(group_id: str, funnel_id: str, step_id: str, element_id: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: f"{STEP}{step_id}{ELEMENT}{element_id}"}


def containment_connection_id(child_id: str) -> str:
    """The id of the containment connection into a step or element: fixed by the child's id."""
    return f"{_CONTAINMENT_ID_PREFIX}{child_id}"


def contained_id(containment_connection_id: str) -> str:
    """The step or element a containment connection leads to."""
    return containment_connection_id.removeprefix(_CONTAINMENT_ID_PREFIX)


def is_funnel_part(thing_id: str) -> bool:
    return thing_id.startswith((STEP_ID_PREFIX, ELEMENT_ID_PREFIX))


def step_index(group_id: str, funnel_id: str, step_id: str) -> dict[str, str]:
    connection_id = containment_connection_id(step_id)
    return connection_index(group_id, funnel_id, step_id, FUNNEL_CONTAINS_STEP, connection_id)


def element_index(group_id: str, step_id: str, element_id: str) -> dict[str, str]:
    connection_id = containment_connection_id(element_id)
    return connection_index(group_id, step_id, element_id, STEP_CONTAINS_ELEMENT, connection_id)


def custom_code_key(group_id: str, funnel_id: str, code_id: str) -> dict[str, str]:
    """A funnel's custom code lives in its item collection: the one Query publishing reads
    freezes it with the steps and elements."""
    return {PK: funnel_pk(group_id, funnel_id), SK: f"{CUSTOM_CODE}{code_id}"}


def ab_test_key(group_id: str, funnel_id: str, test_id: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: f"{AB_TEST}{test_id}"}


def step_slug_key(group_id: str, funnel_id: str, slug: str) -> dict[str, str]:
    return {PK: funnel_pk(group_id, funnel_id), SK: f"{STEP_SLUG}{slug}"}


def funnel_name_key(group_id: str, name: str) -> dict[str, str]:
    """Funnel names are unique per group, case-insensitively."""
    return {PK: group_pk(group_id), SK: f"{FUNNEL_NAME}{name.casefold()}"}


def funnel_slug_key(group_id: str, slug: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{FUNNEL_SLUG}{slug}"}


def funnel_versions_pk(group_id: str, funnel_id: str) -> str:
    return f"{group_pk(group_id)}#FUNNELVERSIONS#{funnel_id}"


def funnel_version_key(group_id: str, funnel_id: str, number: int) -> dict[str, str]:
    return {PK: funnel_versions_pk(group_id, funnel_id), SK: f"{VERSION}{number:06d}"}


def version_parts_prefix(number: int) -> str:
    return f"{VERSION_PART}{number:06d}#"


def funnel_version_part_key(group_id: str, funnel_id: str, number: int, part: int) -> dict[str, str]:
    """A published version is a compressed snapshot cut into parts under DynamoDB's 400 KB item limit."""
    return {PK: funnel_versions_pk(group_id, funnel_id), SK: f"{version_parts_prefix(number)}{part:03d}"}


def group_template_key(group_id: str, template_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{GROUP_TEMPLATE}{template_id}"}


def template_usage_key(template_id: str) -> dict[str, str]:
    """How often a system template was used, across all groups: a count, no tenant data."""
    return {PK: f"TEMPLATEUSAGE#{template_id}", SK: "USAGE"}


def assignment_key(group_id: str, person_id: str, funnel_id: str) -> dict[str, str]:
    """A group_user's assignment to a funnel (the ``assigned_to`` connection), keyed so that
    authorization reads it by (person, funnel) and a person's funnels list with one Query."""
    return {PK: group_pk(group_id), SK: f"{ASSIGNMENT}{person_id}#{funnel_id}"}


def assignments_of_prefix(person_id: str) -> str:
    return f"{ASSIGNMENT}{person_id}#"
