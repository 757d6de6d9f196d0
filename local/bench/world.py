"""The world the measured requests meet: the sample world put back before each scenario, and
events that succeed every time they are sent."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

from local.lambda_events import http_event, invoke, sample, with_fresh_signatures
from local.stack import LocalStack
from local.template import Route

# ---------------------------------------------------------------- the world the requests meet


def handler_module(route: Route) -> str:
    return route.handler.removesuffix(".lambda_handler")


def sample_name(route: Route) -> str:
    return handler_module(route).replace(".", "/")


def module_of(sample_name: str) -> str:
    return sample_name.replace("/", ".")


serial = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}_{next(serial)}"


def require_success(what: str, status: int, body: Any = None) -> None:
    # A browser's form post is answered 303, on to the next step.
    if not 200 <= status < 400:
        raise RuntimeError(f"{what} answered {status}: {body}")


def _sample_body(sample_name: str, /, **fields: Any) -> dict[str, Any]:
    return {**json.loads(sample(sample_name)["body"]), **fields}


def _new_group_body(parent: str | None = None) -> dict[str, Any]:
    """The create sample under a name of its own: a derived slug must not collide."""
    body = _sample_body("groups/create", name=unique("Bench group"))
    return {**body, "parentGroupId": parent} if parent else body


def _new_connection_body() -> dict[str, Any]:
    """The create sample with a relationship of its own: one live connection per (from, type, to)."""
    return _sample_body("connections/create", relationshipType=unique("bench"))


def _new_person_id() -> str:
    return unique("bench-person")


def _fresh_id(sample_name: str, id_field: str, **changes: Any) -> str:
    """Create something through its own create route, as a client would; its id."""
    answer = invoke(module_of(sample_name), http_event(sample_name, **changes))
    require_success(sample_name, answer.status, answer.body)
    return str(answer.body[id_field])


def fresh_group(parent: str | None = None) -> str:
    return _fresh_id("groups/create", "groupId", body=_new_group_body(parent))


def _fresh_thing() -> str:
    return _fresh_id("things/create", "thingId")


def _fresh_connection() -> str:
    return _fresh_id("connections/create", "connectionId", body=_new_connection_body())


def _fresh_knowledge() -> str:
    return _fresh_id("knowledge/create", "knowledgeId")


def fresh_member(role: str = "group_user") -> str:
    person = _new_person_id()
    return _fresh_id("members/put", "personId", path_parameters={"personId": person}, body={"role": role})


def _new_funnel_body() -> dict[str, Any]:
    """The create sample under a name of its own: funnel names and slugs are unique in a group."""
    return _sample_body("funnels/create", name=unique("Bench funnel"))


def _new_step_body() -> dict[str, Any]:
    """The create sample under a name of its own: step slugs are unique in a funnel."""
    return _sample_body("steps/create", name=unique("Bench step"))


def _new_template_body() -> dict[str, Any]:
    return _sample_body("templates/save", name=unique("Bench template"))


def _fresh_funnel() -> str:
    return _fresh_id("funnels/create", "funnelId", body=_new_funnel_body())


def _fresh_step() -> str:
    """A new last step of the sample funnel, without elements."""
    return _fresh_id("steps/create", "stepId", body=_new_step_body())


def _fresh_element() -> str:
    """A new last element of the sample step."""
    return _fresh_id("elements/create", "elementId")


def _fresh_custom_code() -> str:
    return _fresh_id("custom_code/create", "customCodeId")


def _fresh_product() -> str:
    return _fresh_id("products/create", "productId")


def _fresh_customer() -> str:
    body = {"type": "customer", "name": "Sam", "properties": {"email": f"{unique('sam')}@example.com"}}
    return _fresh_id("things/create", "thingId", body=body)


def _fresh_assignee() -> str:
    """A new group_user of the sample group, assigned to the sample funnel."""
    person = fresh_member()
    return _fresh_id("assignees/put", "fromThingId", path_parameters={"personId": person})


# A route that changes or removes something gets a fresh target per call ...
_FRESH_TARGET: dict[str, tuple[str, Callable[[], str]]] = {
    "groups/update": ("groupId", fresh_group),
    "groups/archive": ("groupId", fresh_group),
    "things/update": ("thingId", _fresh_thing),
    "things/archive": ("thingId", _fresh_thing),
    "connections/end": ("connectionId", _fresh_connection),
    "knowledge/delete": ("knowledgeId", _fresh_knowledge),
    "members/remove": ("personId", fresh_member),
    "members/put": ("personId", _new_person_id),
    "funnels/archive": ("funnelId", _fresh_funnel),
    "steps/remove": ("stepId", _fresh_step),
    "elements/remove": ("elementId", _fresh_element),
    "custom_code/remove": ("codeId", _fresh_custom_code),
    "products/update": ("productId", _fresh_product),
    "products/archive": ("productId", _fresh_product),
    "customers/erase": ("customerId", _fresh_customer),
    "assignees/put": ("personId", fresh_member),
    "assignees/remove": ("personId", _fresh_assignee),
}
# ... a create whose result must be unique a fresh body ...
_FRESH_BODY: dict[str, Callable[[], dict[str, Any]]] = {
    "groups/create": _new_group_body,
    "connections/create": _new_connection_body,
    "funnels/create": _new_funnel_body,
    "steps/create": _new_step_body,
    "templates/save": _new_template_body,
}


def _sample_target(sample_name: str) -> dict[str, str]:
    return dict(sample(sample_name)["pathParameters"])


def _aggregate_of(sample_name: str) -> Any:
    """The funnel the sample ``sample_name`` points at, read through the store (not counted: the
    recorder forgets every call made before a measured request)."""
    from funnel_core.builder.store.structure import StructureStore
    from funnel_core.store.default import table

    target = _sample_target(sample_name)
    aggregate = StructureStore(table()).read(target["groupId"], target["funnelId"])
    if aggregate is None:
        raise RuntimeError(f"{sample_name}: funnel {target['funnelId']} not found")
    return aggregate


def _edit_funnel_event() -> dict[str, Any]:
    """A rename at the funnel's current version: a new name every time, so its guard moves."""
    version = _aggregate_of("funnels/update").funnel.version
    return http_event("funnels/update", body=_sample_body("funnels/update", version=version, name=unique("Bench")))


def _edit_step_event() -> dict[str, Any]:
    step_id = _sample_target("steps/update")["stepId"]
    version = _aggregate_of("steps/update").steps[step_id].version
    return http_event("steps/update", body=_sample_body("steps/update", version=version))


def _edit_element_event() -> dict[str, Any]:
    element_id = _sample_target("elements/update")["elementId"]
    version = _aggregate_of("elements/update").elements[element_id].version
    return http_event("elements/update", body=_sample_body("elements/update", version=version))


def _edit_custom_code_event() -> dict[str, Any]:
    code_id = _sample_target("custom_code/update")["codeId"]
    version = _aggregate_of("custom_code/update").custom_code[code_id].version
    return http_event("custom_code/update", body=_sample_body("custom_code/update", version=version))


def _reorder_steps_event() -> dict[str, Any]:
    """The funnel's steps in the reverse of their order of the moment, so the order changes."""
    step_ids = _aggregate_of("steps/reorder").funnel.stepIds
    return http_event("steps/reorder", body={"stepIds": step_ids[::-1]})


def _reorder_elements_event() -> dict[str, Any]:
    step_id = _sample_target("elements/reorder")["stepId"]
    element_ids = _aggregate_of("elements/reorder").steps[step_id].elementIds
    return http_event("elements/reorder", body={"elementIds": element_ids[::-1]})


def rename_funnel(group_id: str, funnel_id: str) -> None:
    """Give the funnel a name and slug of its own, through the store: a duplicate is named after
    its source ("<name> (Copy)", then " 2" ... up to 10), so each copy gets a free name at the
    first attempt however many are made."""
    from funnel_core.builder.store.funnels import FunnelStore
    from funnel_core.store.default import table

    store = FunnelStore(table())
    [funnel] = store.get_many(group_id, [funnel_id])
    number = next(serial)
    renamed = funnel.model_copy(
        update={"name": f"Bench source {number}", "slug": f"bench-source-{number}", "version": funnel.version + 1}
    )
    with table().change(funnel.createdBy, group_id) as change:
        store.release_name(change, group_id, funnel.name)
        store.release_slug(change, group_id, funnel.slug)
        store.claim_name(change, group_id, renamed.name, funnel_id)
        store.claim_slug(change, group_id, renamed.slug, funnel_id)
        store.replace(change, renamed, expected_version=funnel.version)


def _duplicate_event() -> dict[str, Any]:
    target = _sample_target("funnels/duplicate")
    rename_funnel(target["groupId"], target["funnelId"])
    return http_event("funnels/duplicate")


def _unpublish_event() -> dict[str, Any]:
    """Version 1 made live again first (through the restore route), so there is something to
    take down."""
    answer = invoke("publishing.restore", http_event("publishing/restore"))
    require_success("publishing/restore", answer.status, answer.body)
    return http_event("publishing/unpublish")


def _count_view_event() -> dict[str, Any]:
    from local.samples.world import SAMPLE_PAGE

    return with_fresh_signatures(http_event("pages/count_view"), SAMPLE_PAGE)


def _submit_event() -> dict[str, Any]:
    """A person's post: a fresh form token, from an address of its own (a visitor may post only
    so often)."""
    from local.samples.world import SAMPLE_PAGE

    event = with_fresh_signatures(http_event("pages/submit"), SAMPLE_PAGE)
    address = f"198.51.100.{next(serial) % 250 + 1}"
    event["requestContext"]["http"]["sourceIp"] = address
    return event


def _checkout_event() -> dict[str, Any]:
    """A new order each time: a fresh order token of the shop's order page."""
    from local.samples.world import SHOP_PAGE

    return with_fresh_signatures(http_event("commerce/checkout"), SHOP_PAGE)


def _stripe_webhook_event() -> dict[str, Any]:
    """Another payment each time (its own event and PaymentIntent), signed as Stripe signs."""
    from local.samples.world import SAMPLE_PAGE

    event = json.loads(sample("commerce/stripe_webhook")["body"])
    number = next(serial)
    event["id"] = f"evt_bench{number:010d}"
    event["data"]["object"]["id"] = f"pi_bench{number:010d}"
    return with_fresh_signatures(http_event("commerce/stripe_webhook", body=event), SAMPLE_PAGE)


def _upsell_event() -> dict[str, Any]:
    """The sample order's "no thanks", with a fresh ticket."""
    from local.samples.world import SHOP_PAGE

    return with_fresh_signatures(http_event("commerce/upsell"), SHOP_PAGE)


def _stripe_account_event() -> dict[str, Any]:
    """Another account id each time, so the account changes."""
    return http_event("commerce/stripe_account", body={"accountId": f"acct_bench{next(serial):08d}"})


def _reset_test(test_id: str, status: str) -> None:
    """The sample A/B test put back as seeded (``status``), through the store, with the split
    funnel's other tests (those the bench made) gone from its splits."""
    from funnel_core.builder.models.ab_tests import AbTestStatus
    from funnel_core.builder.store.ab_tests import AbTestStore
    from funnel_core.builder.store.funnels import FunnelStore
    from funnel_core.store.default import table
    from local.samples.world import DRAFT_TEST, GROUP, RUNNING_TEST, SPLIT_FUNNEL

    tests, funnels = AbTestStore(table()), FunnelStore(table())
    test = tests.get(GROUP, SPLIT_FUNNEL, test_id)
    [funnel] = funnels.get_many(GROUP, [SPLIT_FUNNEL])
    if test is None:
        raise RuntimeError(f"A/B test {test_id} not found")
    put_back = test.model_copy(
        update={"status": AbTestStatus(status), "winnerStepId": None, "completedAt": None, "version": test.version + 1}
    )
    splits = [
        put_back.split() if s.testId == test_id else s for s in funnel.splits if s.testId in (RUNNING_TEST, DRAFT_TEST)
    ]
    moved = funnel.model_copy(update={"splits": splits, "version": funnel.version + 1})
    with table().change(funnel.createdBy, GROUP) as change:
        tests.replace(change, put_back, expected_version=test.version)
        funnels.replace(change, moved, expected_version=funnel.version)


def _test_event(sample_name: str, test_id: str, status: str) -> EventMaker:
    def make() -> dict[str, Any]:
        _reset_test(test_id, status)
        return http_event(sample_name)

    return make


def _new_test_event() -> dict[str, Any]:
    """A new test of the opt-in page against the spare page: the bench's earlier ones taken out
    of the funnel's splits first, so the spare page is free again."""
    from local.samples.world import RUNNING_TEST

    _reset_test(RUNNING_TEST, "running")
    return http_event("ab_tests/create")


# ... and a route whose event depends on the state of the moment an event made from it.
_FROM_STATE: dict[str, Callable[[], dict[str, Any]]] = {
    "funnels/update": _edit_funnel_event,
    "funnels/duplicate": _duplicate_event,
    "steps/update": _edit_step_event,
    "steps/reorder": _reorder_steps_event,
    "elements/update": _edit_element_event,
    "custom_code/update": _edit_custom_code_event,
    "elements/reorder": _reorder_elements_event,
    "publishing/unpublish": _unpublish_event,
    "pages/count_view": _count_view_event,
    "pages/submit": _submit_event,
    "commerce/checkout": _checkout_event,
    "commerce/stripe_webhook": _stripe_webhook_event,
    "commerce/stripe_account": _stripe_account_event,
    "commerce/upsell": _upsell_event,
    "ab_tests/create": _new_test_event,
    "ab_tests/start": _test_event("ab_tests/start", "abt_01SAMPLEDRAFT00000000000", "draft"),
    "ab_tests/stop": _test_event("ab_tests/stop", "abt_01SAMPLERUNNING000000000", "running"),
    "ab_tests/winner": _test_event("ab_tests/winner", "abt_01SAMPLERUNNING000000000", "running"),
}

EventMaker = Callable[[], dict[str, Any]]


def event_maker(sample_name: str) -> EventMaker:
    """Events from the sample ``sample_name`` that succeed every time they are sent. Routes that
    only read, and publish and restore (a new version or the same one made live again, every
    time), take the sample as it is."""
    if sample_name in _FRESH_TARGET:
        parameter, fresh = _FRESH_TARGET[sample_name]
        return lambda: http_event(sample_name, path_parameters={parameter: fresh()})
    if sample_name in _FRESH_BODY:
        make_body = _FRESH_BODY[sample_name]
        return lambda: http_event(sample_name, body=make_body())
    if sample_name in _FROM_STATE:
        return _FROM_STATE[sample_name]
    return lambda: http_event(sample_name)


def with_idempotency_key(make_event: EventMaker) -> EventMaker:
    def make() -> dict[str, Any]:
        event = make_event()
        event["headers"]["idempotency-key"] = unique("bench-key")
        return event

    return make


class World:
    """The sample world, anew: the table recreated, its stream turned off, then the world seeded
    through the store the first time and, after that, its items as they were then written back
    (the same items, a tenth of the time: a scan's worth of BatchWriteItem instead of the
    store's transactions).

    The stream is left out (``LocalStack.recreate_table`` says why): with it, routes measured
    late in the bench looked twice as slow as the same routes measured early. Nothing here reads
    the stream, and on AWS a stream adds nothing to a write's latency.
    """

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self._items: list[dict[str, Any]] | None = None

    def reset(self) -> None:
        from funnel_core.store.default import table as default_table
        from local.samples.world import seed_sample_world

        self.stack.recreate_table(stream=False)
        if self._items is None:
            seed_sample_world(default_table())
            _index_for_search()
            self._items = self.stack.scan_items()
        else:
            self.stack.put_items(self._items)


def _index_for_search() -> None:
    """The sample group and the system templates in the search index, as the stream and a
    backfill would have put them (the stream is off here). The index outlives the table's resets:
    the same ids come back every time."""
    from funnel_core.search import backfill
    from local.samples.world import GROUP

    jobs = backfill.service()
    jobs.catalog()
    jobs.group(GROUP)


def new_container() -> None:
    """Forget what a Lambda container keeps between requests, the ancestor ids authorization
    caches included."""
    from local.containers import cold_start

    cold_start()
