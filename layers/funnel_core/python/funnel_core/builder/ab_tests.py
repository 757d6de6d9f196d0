"""A/B tests of a funnel's steps: made as drafts, started, stopped, decided.

Each change of a test also rewrites the funnel item's ``splits`` (what the tests make of the
live pages, ``models.ab_tests.LiveSplit``) under the funnel's structure version, so it orders
with every other change of the funnel and the page projection, told through ``builder.live``,
serves the change as soon as the route answers. The owners' and the platform's calls: a test
decides what visitors are served, as publishing does."""

from __future__ import annotations

import builtins
from collections.abc import Callable

from funnel_core.audit.events import EventType
from funnel_core.builder import keys, live
from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.builder.aggregate import load_funnel, require_editable, retry_races
from funnel_core.builder.models.ab_tests import (
    AbTest,
    AbTestCreate,
    AbTestStatus,
    AbTestWinner,
    LiveSplit,
    even_split,
)
from funnel_core.builder.models.aggregate import Funnel, FunnelAggregate, FunnelStatus, FunnelView
from funnel_core.builder.offers import page_sale
from funnel_core.builder.store.ab_tests import AbTestStore
from funnel_core.builder.store.funnels import FunnelStore
from funnel_core.builder.store.structure import StructureStore
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import Conflict, NotFound, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.ontology.connections import new_connection
from funnel_core.ontology.connections import service_on as connections_on
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.table import Table

# A funnel's item lists its tests' splits: enough for years of testing, far from 400 KB.
MAX_TESTS_PER_FUNNEL = 50
_ENTITY = "ab_test"


class AbTests:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.funnel_access = FunnelAuthorizer(access)
        self.store = AbTestStore(table)
        self.funnels = FunnelStore(table)
        self.parts = StructureStore(table)
        self.connections = connections_on(table)

    def create(self, caller: Caller, group_id: str, funnel_id: str, body: AbTestCreate) -> AbTest:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.MANAGE)
        at, test_id = now_iso(), new_id(keys.AB_TEST_ID_PREFIX.rstrip("_"))
        made: list[AbTest] = []

        def attempt() -> None:
            aggregate = load_funnel(self.parts, group_id, funnel_id)
            funnel = aggregate.funnel
            require_editable(funnel)
            _require_arms(aggregate, body)
            if len(funnel.splits) >= MAX_TESTS_PER_FUNNEL:
                raise ValidationFailed.on("controlStepId", f"a funnel has at most {MAX_TESTS_PER_FUNNEL} A/B tests")
            control = aggregate.steps[body.controlStepId]
            test = AbTest(
                abTestId=test_id,
                thingId=test_id,
                groupId=group_id,
                funnelId=funnel_id,
                name=body.name or f"Test of {control.name}",
                controlStepId=body.controlStepId,
                variantStepIds=body.variantStepIds,
                trafficSplit=body.trafficSplit or even_split(1 + len(body.variantStepIds)),
                metric=body.metric,
                createdAt=at,
                updatedAt=at,
                createdBy=caller.person_id,
                updatedBy=caller.person_id,
            )
            made[:] = [test]
            with self.table.change(caller.person_id, group_id) as change:
                self.store.add(change, test)
                self._write_splits(change, funnel, [*funnel.splits, test.split()], caller, at)
                for role, step_id in zip(["control", *["variant"] * len(test.variantStepIds)], test.arms, strict=True):
                    connection = new_connection(
                        group_id,
                        test_id,
                        step_id,
                        keys.AB_TEST_VARIANT,
                        caller.person_id,
                        at,
                        {"funnelId": funnel_id, "role": role, "weight": test.trafficSplit[test.arms.index(step_id)]},
                    )
                    self.connections.add(change, connection)
                metadata = {"entity": _ENTITY, "funnelId": funnel_id, "arms": test.arms, "metric": test.metric}
                change.record(EventType.ENTITY_CREATED, test_id, metadata, at)

        retry_races(attempt)
        live.changed(group_id, funnel_id)  # its variants leave the live flow
        return made[0]

    def list(self, caller: Caller, group_id: str, funnel_id: str) -> Page[AbTest]:
        self.funnel_access.with_funnel(caller, group_id, funnel_id, FunnelAction.READ)
        return Page[AbTest](items=self.store.list(group_id, funnel_id), nextCursor=None)

    def get(self, caller: Caller, group_id: str, funnel_id: str, test_id: str) -> AbTest:
        return self._find(caller, group_id, funnel_id, test_id, FunnelAction.READ)

    def start(self, caller: Caller, group_id: str, funnel_id: str, test_id: str) -> AbTest:
        """Split the control's URL between the arms from now on; the funnel must be live, with
        every arm in its live version (a page is made only from what was published)."""

        def started(test: AbTest, funnel: Funnel, at: str) -> AbTest:
            if test.status is not AbTestStatus.DRAFT:
                raise Conflict(f"A/B test {test_id} is {test.status}; only a draft starts")
            if funnel.status is not FunnelStatus.PUBLISHED:
                raise Conflict(f"funnel {funnel_id} is not published: publish it before starting a test")
            live_view = self._live_view(funnel)
            steps = {step.stepId: step for step in live_view.steps}
            unpublished = [step for step in test.arms if step not in steps]
            if unpublished:
                message = f"step {unpublished[0]} is not in the live version: publish the funnel with it first"
                raise ValidationFailed.on("variantStepIds", message)
            selling = [step for step in test.arms if page_sale(steps[step], live_view.products) is not None]
            if selling:
                # A checkout charges what the page at its URL sells: one sale per URL.
                message = f"step {selling[0]} takes payment: test the sales page before it instead"
                raise ValidationFailed.on("controlStepId", message)
            running = [s for s in funnel.splits if s.controlStepId == test.controlStepId and s.testId != test_id]
            if any(split.status is AbTestStatus.RUNNING for split in running):
                raise Conflict(f"step {test.controlStepId} is already being tested")
            return test.model_copy(update={"status": AbTestStatus.RUNNING, "startedAt": at})

        return self._move(caller, group_id, funnel_id, test_id, started, EventType.AB_TEST_STARTED)

    def stop(self, caller: Caller, group_id: str, funnel_id: str, test_id: str) -> AbTest:
        """End the test without a winner: the control serves everyone again."""

        def stopped(test: AbTest, _funnel: Funnel, at: str) -> AbTest:
            if test.status is AbTestStatus.COMPLETED:
                raise Conflict(f"A/B test {test_id} is completed already")
            return test.model_copy(update={"status": AbTestStatus.COMPLETED, "completedAt": at})

        return self._move(caller, group_id, funnel_id, test_id, stopped, EventType.AB_TEST_COMPLETED)

    def choose_winner(
        self,
        caller: Caller,
        group_id: str,
        funnel_id: str,
        test_id: str,
        body: AbTestWinner,
        veto: Callable[[AbTest], str | None] = lambda _test: None,
    ) -> AbTest:
        """End the test with ``stepId`` as its winner: a variant is then served to everyone at
        the control's URL, the control serves as before. ``veto`` says why no winner may be
        read off the test now (the analytics' sample-ratio check)."""

        def decided(test: AbTest, _funnel: Funnel, at: str) -> AbTest:
            if test.status is not AbTestStatus.RUNNING:
                raise Conflict(f"A/B test {test_id} is {test.status}; a winner is chosen from a running test")
            if body.stepId not in test.arms:
                raise ValidationFailed.on("stepId", f"step {body.stepId} is not an arm of A/B test {test_id}")
            if (reason := veto(test)) is not None:
                raise Conflict(reason)
            return test.model_copy(
                update={"status": AbTestStatus.COMPLETED, "completedAt": at, "winnerStepId": body.stepId}
            )

        return self._move(caller, group_id, funnel_id, test_id, decided, EventType.AB_TEST_COMPLETED)

    def _live_view(self, funnel: Funnel) -> FunnelView:
        from funnel_core.builder.publishing import service as versions

        return versions().published_view(funnel.groupId, funnel.funnelId, funnel.liveVersion or 0)

    def _move(
        self,
        caller: Caller,
        group_id: str,
        funnel_id: str,
        test_id: str,
        to: Callable[[AbTest, Funnel, str], AbTest],
        event: EventType,
    ) -> AbTest:
        self._find(caller, group_id, funnel_id, test_id, FunnelAction.MANAGE)
        moved: list[AbTest] = []

        def attempt() -> None:
            test = self.store.get(group_id, funnel_id, test_id)
            funnel = self.table.read(FunnelStore.ref(group_id, funnel_id))
            if test is None or funnel is None:
                raise NotFound(f"A/B test {test_id} not found")
            require_editable(funnel)
            at = now_iso()
            after = to(test, funnel, at).model_copy(
                update={"version": test.version + 1, "updatedAt": at, "updatedBy": caller.person_id}
            )
            moved[:] = [after]
            splits = [after.split() if split.testId == test_id else split for split in funnel.splits]
            with self.table.change(caller.person_id, group_id) as change:
                self.store.replace(change, after, expected_version=test.version)
                self._write_splits(change, funnel, splits, caller, at)
                metadata = {"funnelId": funnel_id, "controlStepId": after.controlStepId, "arms": after.arms}
                if after.winnerStepId:
                    metadata["winnerStepId"] = after.winnerStepId
                change.record(event, test_id, metadata, at)

        retry_races(attempt)
        live.changed(group_id, funnel_id)
        return moved[0]

    def _find(self, caller: Caller, group_id: str, funnel_id: str, test_id: str, action: FunnelAction) -> AbTest:
        ref = AbTestStore.ref(group_id, funnel_id, test_id)
        access = self.funnel_access.authorize(caller, group_id, funnel_id, action, refs=[ref])
        test = access.found(ref)
        if test is None:
            raise NotFound(f"A/B test {test_id} not found")
        return test

    def _write_splits(
        self, change: Change, funnel: Funnel, splits: builtins.list[LiveSplit], caller: Caller, at: str
    ) -> None:
        # A new revision of the funnel (the projection orders its pages by it) under the
        # structure it was read at, so a step removed meanwhile retries this change, not loses it.
        updated = funnel.model_copy(
            update={
                "splits": splits,
                "version": funnel.version + 1,
                "structureVersion": funnel.structureVersion + 1,
                "updatedAt": at,
                "updatedBy": caller.person_id,
            }
        )
        self.funnels.replace(change, updated, expected_structure=funnel.structureVersion)


def _require_arms(aggregate: FunnelAggregate, body: AbTestCreate) -> None:
    funnel = aggregate.funnel
    for index, step_id in enumerate([body.controlStepId, *body.variantStepIds]):
        field = "controlStepId" if index == 0 else f"variantStepIds.{index - 1}"
        if step_id not in funnel.stepIds or step_id not in aggregate.steps:
            raise ValidationFailed.on(field, f"step {step_id} is not a step of funnel {funnel.funnelId}")
    variants = funnel.held_out()
    controls = {split.controlStepId for split in funnel.splits}
    if body.controlStepId in variants:
        raise ValidationFailed.on("controlStepId", f"step {body.controlStepId} is a variant of another test")
    for index, step_id in enumerate(body.variantStepIds):
        if step_id in variants or step_id in controls:
            raise ValidationFailed.on(f"variantStepIds.{index}", f"step {step_id} is part of another test already")
    if funnel.stepIds and funnel.stepIds[0] in body.variantStepIds:
        raise ValidationFailed.on(
            "variantStepIds", "the funnel's first step cannot be a variant: test it as the control"
        )
    waiting = [s for s in funnel.splits if s.controlStepId == body.controlStepId and s.status is AbTestStatus.DRAFT]
    if waiting:
        raise Conflict(f"step {body.controlStepId} has a draft test already: {waiting[0].testId}")


@once
def service() -> AbTests:
    return AbTests(table(), authorizer())
