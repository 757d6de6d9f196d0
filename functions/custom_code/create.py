"""POST /groups/{groupId}/funnels/{funnelId}/custom-code: add an owner's snippet to the funnel's pages."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.builder import custom_code
from funnel_core.builder.models.custom_code import CustomCode, CustomCodeCreate
from funnel_core.http.app import BUILDER, create_app, created, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId

app = create_app(BUILDER)


@app.post(
    "/groups/<groupId>/funnels/<funnelId>/custom-code",
    summary="Add custom code to a funnel's pages (owners; live from the next publish)",
    status_code=201,
)
def create_custom_code(groupId: GroupId, funnelId: FunnelId, body: CustomCodeCreate) -> Response[CustomCode]:
    return created(custom_code.service().create(current_caller(app), groupId, funnelId, body))


lambda_handler = make_handler(app, idempotent_posts=True)
