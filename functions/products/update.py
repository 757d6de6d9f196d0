"""PATCH /groups/{groupId}/products/{productId}: change a product (owners); live pages keep the
price they were published with until the next publish."""

from funnel_core.builder import products
from funnel_core.builder.models.products import Product, ProductUpdate
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import GroupId, ProductId

app = create_app(BUILDER)


@app.patch("/groups/<groupId>/products/<productId>", summary="Change a product (owners)")
def update_product(groupId: GroupId, productId: ProductId, body: ProductUpdate) -> Product:
    return products.service().update(current_caller(app), groupId, productId, body)


lambda_handler = make_handler(app)
