"""PATCH /groups/{groupId}/funnels/{funnelId}/custom-code/{codeId}: change a snippet (owners)."""

from funnel_core.builder import custom_code
from funnel_core.builder.models.custom_code import CustomCode, CustomCodeUpdate
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import CustomCodeId, FunnelId, GroupId

app = create_app(BUILDER)


@app.patch("/groups/<groupId>/funnels/<funnelId>/custom-code/<codeId>", summary="Change custom code (owners)")
def update_custom_code(
    groupId: GroupId, funnelId: FunnelId, codeId: CustomCodeId, body: CustomCodeUpdate
) -> CustomCode:
    return custom_code.service().update(current_caller(app), groupId, funnelId, codeId, body)


lambda_handler = make_handler(app)
