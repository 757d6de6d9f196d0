"""DELETE /groups/{groupId}/products/{productId}: archive a product (owners); never deleted."""

from funnel_core.builder import products
from funnel_core.builder.models.products import Product
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import GroupId, ProductId

app = create_app(BUILDER)


@app.delete("/groups/<groupId>/products/<productId>", summary="Archive a product (owners)")
def archive_product(groupId: GroupId, productId: ProductId) -> Product:
    return products.service().archive(current_caller(app), groupId, productId)


lambda_handler = make_handler(app)
