"""GET /groups/{groupId}/funnels/{funnelId}/custom-code: the funnel's custom code, oldest first."""

from funnel_core.builder import custom_code
from funnel_core.builder.models.custom_code import CustomCode
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import FunnelId, GroupId
from funnel_core.models.common import Page

app = create_app(BUILDER)


@app.get("/groups/<groupId>/funnels/<funnelId>/custom-code", summary="List a funnel's custom code")
def list_custom_code(groupId: GroupId, funnelId: FunnelId) -> Page[CustomCode]:
    return custom_code.service().list(current_caller(app), groupId, funnelId)


lambda_handler = make_handler(app)
