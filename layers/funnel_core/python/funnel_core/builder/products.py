"""Products a group sells: written by its owners (and platform owners), read by its owners and
users (a group_user sells them on the funnels assigned to them), every change audited. A product
is a ``product`` thing; archiving keeps it (a published page goes on selling at the price it was
published with until the next publish).

The routes: ``POST, GET /groups/{g}/products``, ``PATCH, DELETE /groups/{g}/products/{p}``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from funnel_core.audit.events import EventType
from funnel_core.builder.keys import PRODUCT_ID_PREFIX
from funnel_core.builder.models.products import (
    Product,
    ProductCreate,
    ProductFields,
    ProductStatus,
    ProductUpdate,
)
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import Forbidden, NotFound
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.ontology import things
from funnel_core.ontology.access import Access, Action, Authorizer, authorizer
from funnel_core.ontology.models.members import Role
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Table
from funnel_core.validation import require_version, validation_failed

PRODUCT = "product"
_DETAILS = ("price", "currency", "paymentType", "interval", "compareAtPrice", "imageUrl", "description")


def product_of(thing: Thing) -> Product:
    return Product(
        productId=thing.thingId,
        groupId=thing.groupId,
        name=thing.name,
        status=ProductStatus(thing.status),
        version=thing.version,
        createdAt=thing.createdAt,
        updatedAt=thing.updatedAt,
        createdBy=thing.createdBy,
        updatedBy=thing.updatedBy,
        **thing.properties,
    )


def _thing_of(product: Product) -> Thing:
    properties = product.model_dump(include=set(_DETAILS), mode="json", exclude_none=True)
    return Thing(
        thingId=product.productId,
        groupId=product.groupId,
        type=PRODUCT,
        name=product.name,
        status=ThingStatus(product.status),
        properties=properties,
        version=product.version,
        createdAt=product.createdAt,
        updatedAt=product.updatedAt,
        createdBy=product.createdBy,
        updatedBy=product.updatedBy,
    )


def _fields(values: dict[str, Any]) -> ProductFields:
    """An update applied: the product it makes must be whole (a subscription keeps an interval,
    a compare-at price stays above the price)."""
    try:
        return ProductFields.model_validate(values)
    except ValidationError as error:
        raise validation_failed(error) from None


class Products:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access

    def _reader(self, caller: Caller, group_id: str, product_id: str | None = None) -> Access:
        refs = [things.thing_ref(group_id, product_id)] if product_id else []
        access = self.access.authorize(caller, group_id, Action.READ_GROUP, refs=refs)
        if not access.allows(Action.READ_CONTENT) and access.role is not Role.GROUP_USER:
            raise Forbidden(f"your role ({access.role}) does not let you read the group's products")
        return access

    def _found(self, access: Access, group_id: str, product_id: str) -> Product:
        thing = access.found(things.thing_ref(group_id, product_id))
        if thing is None or thing.type != PRODUCT:
            raise NotFound(f"product {product_id} not found")
        return product_of(thing)

    def create(self, caller: Caller, group_id: str, body: ProductCreate) -> Product:
        self.access.authorize(caller, group_id, Action.MANAGE_GROUP)
        at = now_iso()
        product = Product(
            productId=new_id(PRODUCT_ID_PREFIX.rstrip("_")),
            groupId=group_id,
            createdAt=at,
            updatedAt=at,
            createdBy=caller.person_id,
            updatedBy=caller.person_id,
            **body.model_dump(),
        )
        with self.table.change(caller.person_id, group_id) as change:
            things.add_in(change, _thing_of(product))
            metadata = {"entity": PRODUCT, "name": product.name, "price": product.price, "currency": product.currency}
            change.record(EventType.ENTITY_CREATED, product.productId, metadata, at)
        return product

    def list(
        self, caller: Caller, group_id: str, status: ProductStatus | None, limit: int, cursor: str | None
    ) -> Page[Product]:
        self._reader(caller, group_id)
        page = page_request(caller.person_id, "products", limit, cursor, group=group_id, status=status)
        found = things.page_of_type(self.table, group_id, PRODUCT, ThingStatus(status) if status else None, page)
        return Page[Product](items=[product_of(thing) for thing in found.items], nextCursor=found.nextCursor)

    def get(self, caller: Caller, group_id: str, product_id: str) -> Product:
        return self._found(self._reader(caller, group_id, product_id), group_id, product_id)

    def update(self, caller: Caller, group_id: str, product_id: str, body: ProductUpdate) -> Product:
        access = self.access.authorize(
            caller, group_id, Action.MANAGE_GROUP, refs=[things.thing_ref(group_id, product_id)]
        )
        product = self._found(access, group_id, product_id)
        require_version(f"product {product_id}", product.version, body.version)
        fields = _fields(body.applied_to(product))
        at = now_iso()
        updated = product.model_copy(
            update={
                **fields.model_dump(),
                "version": product.version + 1,
                "updatedAt": at,
                "updatedBy": caller.person_id,
            }
        )
        with self.table.change(caller.person_id, group_id) as change:
            things.replace_in(change, _thing_of(updated), product.version)
            changed = sorted(body.model_fields_set - {"version"})
            change.record(EventType.ENTITY_UPDATED, product_id, {"entity": PRODUCT, "changed": changed}, at)
        return updated

    def archive(self, caller: Caller, group_id: str, product_id: str) -> Product:
        access = self.access.authorize(
            caller, group_id, Action.MANAGE_GROUP, refs=[things.thing_ref(group_id, product_id)]
        )
        product = self._found(access, group_id, product_id)
        if product.status is ProductStatus.ARCHIVED:
            return product
        at = now_iso()
        archived = product.model_copy(
            update={
                "status": ProductStatus.ARCHIVED,
                "version": product.version + 1,
                "updatedAt": at,
                "updatedBy": caller.person_id,
            }
        )
        with self.table.change(caller.person_id, group_id) as change:
            things.replace_in(change, _thing_of(archived), product.version)
            change.record(EventType.ENTITY_ARCHIVED, product_id, {"entity": PRODUCT}, at)
        return archived


@once
def service() -> Products:
    return Products(table(), authorizer())
