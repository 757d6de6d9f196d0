"""The ``funnel_leads_to_product`` connections: a step that sells a product holds one to it.

A sales step names its product in ``properties.productId``; while it does, a live connection
runs from the step to the product (metadata: the funnel), so "which funnels sell this product"
is the product's incoming connections. It is written in the same change as the step: made with
a step that names a product (added, from a page template, in a copied funnel), moved when an
edit names another, ended when an edit names none or the step is removed. The builder keeps it:
the generic routes refuse to make or end one, and it counts toward neither end's connection
count (as a funnel's containment does not). What a page's buttons and bumps sell besides is
frozen at publish (``offers.py``), not connected.
"""

from __future__ import annotations

from collections.abc import Iterable

from funnel_core.audit.events import EventType
from funnel_core.builder.keys import LEADS_TO_PRODUCT
from funnel_core.builder.models.aggregate import FunnelStep
from funnel_core.errors import ValidationFailed
from funnel_core.ontology import things
from funnel_core.ontology.connections import new_connection
from funnel_core.ontology.connections import service_on as connections_on
from funnel_core.ontology.models.connections import Connection
from funnel_core.ontology.models.things import ThingStatus
from funnel_core.store.change import Change
from funnel_core.store.table import Table

PRODUCT = "product"


def product_of(step: FunnelStep | None) -> str | None:
    product_id = step.properties.get("productId") if step is not None else None
    return product_id if isinstance(product_id, str) else None


class Sales:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.connections = connections_on(table)

    def require_product(self, group_id: str, step: FunnelStep, field: str = "properties.productId") -> None:
        """A step edited to sell a product must name an active product of the group (a copy
        keeps what its original named, whatever became of it)."""
        product_id = product_of(step)
        if product_id is None:
            return
        product = self.table.read(things.thing_ref(group_id, product_id))
        if product is None or product.type != PRODUCT or product.status is not ThingStatus.ACTIVE:
            raise ValidationFailed.on(field, f"product {product_id} is not an active product of this group")

    def connect(self, change: Change, steps: Iterable[FunnelStep], by: str, at: str) -> None:
        """The connections of new steps that sell a product."""
        for step in steps:
            if (product_id := product_of(step)) is not None:
                connection = new_connection(
                    step.groupId, step.stepId, product_id, LEADS_TO_PRODUCT, by, at, {"funnelId": step.funnelId}
                )
                self.connections.add(change, connection)
                change.record(EventType.CONNECTION_CREATED, connection.connectionId, _ends(connection), at)

    def replace(self, change: Change, before: FunnelStep, after: FunnelStep | None, by: str, at: str) -> None:
        """The step changed (or, ``after`` None, went): its connection follows what it sells."""
        if product_of(before) == product_of(after):
            return
        if (connection := self._live(before)) is not None:
            # Neither end keeps a count of it: the product is "kept", the step is the builder's.
            self.connections.end_in(change, connection, at, keep=connection.toThingId)
        if after is not None:
            self.connect(change, [after], by, at)

    def _live(self, step: FunnelStep) -> Connection | None:
        product_id = product_of(step)
        if product_id is None:
            return None
        return self.connections.live_one(step.groupId, step.stepId, LEADS_TO_PRODUCT, product_id)


def _ends(connection: Connection) -> dict[str, str]:
    return {"from": connection.fromThingId, "to": connection.toThingId, "relationshipType": LEADS_TO_PRODUCT}
