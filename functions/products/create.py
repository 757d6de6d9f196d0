"""POST /groups/{groupId}/products: a product the group sells (owners)."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import products
from funnel_core.builder.models.products import Product, ProductCreate
from funnel_core.http.app import BUILDER, create_app, created, current_caller, make_handler
from funnel_core.http.params import GroupId

app = create_app(BUILDER)


@app.post("/groups/<groupId>/products", summary="Create a product (owners)", status_code=201)
def create_product(groupId: GroupId, body: ProductCreate) -> Response[Product]:
    return created(products.service().create(current_caller(app), groupId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
