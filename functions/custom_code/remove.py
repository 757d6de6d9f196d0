"""DELETE /groups/{groupId}/funnels/{funnelId}/custom-code/{codeId}: archive a snippet (owners)."""

from funnel_core.builder import custom_code
from funnel_core.builder.models.custom_code import CustomCode
from funnel_core.http.app import BUILDER, create_app, current_caller, make_handler
from funnel_core.http.params import CustomCodeId, FunnelId, GroupId

app = create_app(BUILDER)


@app.delete("/groups/<groupId>/funnels/<funnelId>/custom-code/<codeId>", summary="Archive custom code (owners)")
def remove_custom_code(groupId: GroupId, funnelId: FunnelId, codeId: CustomCodeId) -> CustomCode:
    return custom_code.service().archive(current_caller(app), groupId, funnelId, codeId)


lambda_handler = make_handler(app)
