"""GET /groups/{groupId}/products: the group's products, newest first."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.builder import products
from funnel_core.builder.models.products import Product, ProductStatus
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId, Limit
from funnel_core.models.common import Page

app = create_app(BUILDER)


@app.get("/groups/<groupId>/products", summary="List the group's products")
def list_products(
    groupId: GroupId,
    status: Annotated[ProductStatus | None, Query()] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Page[Product]:
    return products.service().list(current_caller(app), groupId, status, limit, cursor)


lambda_handler = make_handler(app)
