"""People and their roles in groups (``member_of`` connections carrying a role)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from funnel_core.models.common import Body, Record


class Role(StrEnum):
    GROUP_OWNER = "group_owner"
    GROUP_USER = "group_user"
    CUSTOMER = "customer"


class MemberPut(Body):
    role: Role


class Membership(Record):
    """The ``member_of`` connection from a person to a group, with the role it carries."""

    groupId: str
    personId: str
    role: Role
    relationshipType: str = "member_of"
    email: str | None = None
    name: str | None = None
    createdAt: str
    updatedAt: str
    addedBy: str
    # The things this member is assigned to (``assigned_to`` connections, e.g. funnels), kept by
    # the area that manages them, so that they end with the membership.
    assignedTo: list[str] = Field(default_factory=list)


class Person(Record):
    """A signed-in user, as the identity provider names them (``sub``)."""

    personId: str
    type: str = "person"
    email: str | None = None
    name: str | None = None
    createdAt: str
    updatedAt: str


class MembershipSummary(Record):
    groupId: str
    role: Role


class Me(Record):
    personId: str
    email: str | None = None
    name: str | None = None
    platformOwner: bool = False
    memberships: list[MembershipSummary]
