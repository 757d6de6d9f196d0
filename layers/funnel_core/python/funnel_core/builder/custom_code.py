"""Custom code on a funnel's pages: only a group owner or a platform owner writes it (a
group_user's 403), every change audited; it goes live with the next publish."""

from __future__ import annotations

from funnel_core.audit.events import EventType
from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.builder.aggregate import require_editable
from funnel_core.builder.keys import CUSTOM_CODE_ID_PREFIX
from funnel_core.builder.models.custom_code import CustomCode, CustomCodeCreate, CustomCodeUpdate
from funnel_core.builder.store.custom_code import CustomCodeStore
from funnel_core.builder.structure import Structure
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import NotFound, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.store.default import table
from funnel_core.store.table import Table
from funnel_core.validation import given, require_version

_ENTITY = "custom_code"


class CustomCodes:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.funnel_access = FunnelAuthorizer(access)
        self.store = CustomCodeStore(table)
        self.structure = Structure(table)

    def _require_step(self, group_id: str, funnel_id: str, step_id: str | None) -> None:
        if step_id is None:
            return
        aggregate = self.structure.load(group_id, funnel_id)
        if step_id not in aggregate.funnel.stepIds:
            raise ValidationFailed.on("stepId", f"step {step_id} is not a step of funnel {funnel_id}")

    def create(self, caller: Caller, group_id: str, funnel_id: str, body: CustomCodeCreate) -> CustomCode:
        _, funnel = self.funnel_access.with_funnel(caller, group_id, funnel_id, FunnelAction.MANAGE)
        require_editable(funnel)
        self._require_step(group_id, funnel_id, body.stepId)
        at, code_id = now_iso(), new_id(CUSTOM_CODE_ID_PREFIX.rstrip("_"))
        code = CustomCode(
            customCodeId=code_id,
            thingId=code_id,
            groupId=group_id,
            funnelId=funnel_id,
            name=body.name,
            placement=body.placement,
            html=body.html,
            stepId=body.stepId,
            createdAt=at,
            updatedAt=at,
            createdBy=caller.person_id,
            updatedBy=caller.person_id,
        )
        with self.table.change(caller.person_id, group_id) as change:
            self.store.add(change, code)
            metadata = {"entity": _ENTITY, "funnelId": funnel_id, "placement": code.placement, "stepId": code.stepId}
            change.record(EventType.ENTITY_CREATED, code_id, metadata, at)
        return code

    def list(self, caller: Caller, group_id: str, funnel_id: str) -> Page[CustomCode]:
        self.funnel_access.with_funnel(caller, group_id, funnel_id, FunnelAction.READ)
        live = [code for code in self.store.list(group_id, funnel_id) if code.status == "active"]
        return Page[CustomCode](items=live, nextCursor=None)

    def _find(self, caller: Caller, group_id: str, funnel_id: str, code_id: str) -> CustomCode:
        ref = CustomCodeStore.ref(group_id, funnel_id, code_id)
        access = self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.MANAGE, refs=[ref])
        code = access.found(ref)
        if code is None or code.status != "active":
            raise NotFound(f"custom code {code_id} not found")
        return code

    def update(self, caller: Caller, group_id: str, funnel_id: str, code_id: str, body: CustomCodeUpdate) -> CustomCode:
        code = self._find(caller, group_id, funnel_id, code_id)
        require_version(f"custom code {code_id}", code.version, body.version)
        changes = given(body, "name", "placement", "html", "stepId")
        if "stepId" in body.model_fields_set:  # an explicit null makes the code funnel-wide again
            changes["stepId"] = body.stepId
            self._require_step(group_id, funnel_id, changes["stepId"])
        at = now_iso()
        updated = code.model_copy(
            update={**changes, "version": code.version + 1, "updatedAt": at, "updatedBy": caller.person_id}
        )
        with self.table.change(caller.person_id, group_id) as change:
            self.store.replace(change, updated, expected_version=code.version)
            metadata = {"entity": _ENTITY, "funnelId": funnel_id, "changed": sorted(changes)}
            change.record(EventType.ENTITY_UPDATED, code_id, metadata, at)
        return updated

    def archive(self, caller: Caller, group_id: str, funnel_id: str, code_id: str) -> CustomCode:
        code = self._find(caller, group_id, funnel_id, code_id)
        at = now_iso()
        archived = code.model_copy(
            update={"status": "archived", "version": code.version + 1, "updatedAt": at, "updatedBy": caller.person_id}
        )
        with self.table.change(caller.person_id, group_id) as change:
            self.store.replace(change, archived, expected_version=code.version)
            change.record(EventType.ENTITY_ARCHIVED, code_id, {"entity": _ENTITY, "funnelId": funnel_id}, at)
        return archived


@once
def service() -> CustomCodes:
    return CustomCodes(table(), authorizer())
