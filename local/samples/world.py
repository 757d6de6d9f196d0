"""A small, known world in one group, written straight through the area stores: the ids the
sample events in events/ point at."""

from __future__ import annotations

import hashlib
from typing import Any

from funnel_core.builder.models.ab_tests import AbTest, AbTestMetric, AbTestStatus
from funnel_core.builder.models.aggregate import Funnel, FunnelStatus, FunnelStep, PageElement
from funnel_core.builder.models.custom_code import CodePlacement, CustomCode
from funnel_core.builder.models.versions import PublishedVersion
from funnel_core.builder.offers import sold_products
from funnel_core.builder.publishing import freeze, split
from funnel_core.builder.publishing import service as versions_service
from funnel_core.builder.store.ab_tests import AbTestStore
from funnel_core.builder.store.assignments import AssignmentStore
from funnel_core.builder.store.custom_code import CustomCodeStore
from funnel_core.builder.store.funnels import FunnelStore
from funnel_core.builder.store.structure import StructureStore
from funnel_core.builder.store.versions import VersionStore
from funnel_core.errors import Conflict
from funnel_core.ids import now_iso
from funnel_core.ontology.models.connections import Connection
from funnel_core.ontology.models.groups import Group, GroupType
from funnel_core.ontology.models.knowledge import Knowledge, KnowledgeType
from funnel_core.ontology.models.members import Membership, Role
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.ontology.store.connections import ConnectionStore
from funnel_core.ontology.store.groups import GroupStore
from funnel_core.ontology.store.knowledge import KnowledgeStore
from funnel_core.ontology.store.members import MemberStore
from funnel_core.ontology.store.things import ThingStore
from funnel_core.pages.projection import PageProjection
from funnel_core.pages.tickets import PageRef
from funnel_core.store.change import Change
from funnel_core.store.table import Table

GROUP = "grp_01SAMPLEGROUP00000000000"
THING = "thg_01SAMPLETHING00000000000"
TARGET = "thg_01SAMPLETARGET0000000000"
CONNECTION = "con_01SAMPLECONNECTION000000"
KNOWLEDGE = "knw_01SAMPLEKNOWLEDGE0000000"
FUNNEL = "fnl_01SAMPLEFUNNEL0000000000"
STEP = "stp_01SAMPLESTEP000000000000"
SECOND_STEP = "stp_01SAMPLESTEPTWO00000000"
ELEMENT = "elm_01SAMPLEELEMENT000000000"
SECOND_ELEMENT = "elm_01SAMPLEELEMENTTWO00000"
CUSTOM_CODE = "cod_01SAMPLECODE0000000000000"
CUSTOMER = "thg_01SAMPLECUSTOMER00000000"
PRODUCT = "prd_01SAMPLEPRODUCT000000000"
# A second funnel that sells PRODUCT on its one order page, on the group's Stripe account.
SHOP_FUNNEL = "fnl_01SAMPLESHOP000000000000"
ORDER_STEP = "stp_01SAMPLEORDER00000000000"
UPSELL_STEP = "stp_01SAMPLEUPSELL0000000000"
STRIPE_ACCOUNT = "acct_sampleshop0001"
# A third funnel under A/B tests: its opt-in page against a variant (running), its thank-you
# page against another (a draft), and a page no test has yet (the new test's variant).
SPLIT_FUNNEL = "fnl_01SAMPLESPLIT00000000000"
SPLIT_STEPS = (
    "stp_01SAMPLESPLITA0000000000",
    "stp_01SAMPLESPLITTHANKS00000",
    "stp_01SAMPLESPLITB0000000000",
    "stp_01SAMPLESPLITC0000000000",
    "stp_01SAMPLESPLITSPARE000000",
)
RUNNING_TEST = "abt_01SAMPLERUNNING000000000"
DRAFT_TEST = "abt_01SAMPLEDRAFT00000000000"
SHOP_PAGE = PageRef(GROUP, SHOP_FUNNEL, ORDER_STEP, version=1, sequence=1)
SAMPLE_ORDER = "ord_0123456789abcdef0123456789abcdef"
# The live page of the funnel's first step, as its view ticket names it.
SAMPLE_PAGE = PageRef(GROUP, FUNNEL, STEP, version=1, sequence=1)
OWNER = "sample-owner-0000"
MEMBER = "sample-member-0000"


def seed_sample_world(table: Table) -> None:
    at = now_iso()
    group = Group(
        groupId=GROUP,
        name="Sample Co",
        slug="sample-co",
        type=GroupType.BUSINESS,
        ownerCount=1,
        createdAt=at,
        updatedAt=at,
        createdBy=OWNER,
    )
    members, things = MemberStore(table), ThingStore(table)
    with table.change(OWNER, GROUP) as change:
        GroupStore(table).add(change, group)
        for person, role in ((OWNER, Role.GROUP_OWNER), (MEMBER, Role.GROUP_USER)):
            members.put_membership(
                change, Membership(groupId=GROUP, personId=person, role=role, createdAt=at, updatedAt=at, addedBy=OWNER)
            )
        for thing_id, name in ((THING, "Launch checklist"), (TARGET, "Webinar script")):
            thing = Thing(
                thingId=thing_id,
                groupId=GROUP,
                type="note",
                name=name,
                status=ThingStatus.DRAFT,
                createdAt=at,
                updatedAt=at,
                createdBy=OWNER,
                updatedBy=OWNER,
            )
            things.add(change, thing)
        customer = Thing(
            thingId=CUSTOMER,
            groupId=GROUP,
            type="customer",
            name="Jo Lee",
            status=ThingStatus.ACTIVE,
            properties={"email": "jo@example.com", "firstName": "Jo", "lastName": "Lee"},
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
            updatedBy=OWNER,
        )
        things.add(change, customer)
        things.claim_email(change, GROUP, "jo@example.com", CUSTOMER, Conflict("the sample customer's email is taken"))
        product = Thing(
            thingId=PRODUCT,
            groupId=GROUP,
            type="product",
            name="Launch course",
            status=ThingStatus.ACTIVE,
            properties={"price": 4900, "currency": "USD", "paymentType": "one_time"},
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
            updatedBy=OWNER,
        )
        things.add(change, product)
        knowledge = Knowledge(
            knowledgeId=KNOWLEDGE,
            groupId=GROUP,
            knowledgeType=KnowledgeType.LABEL,
            text="Copywriting",
            labels=["copywriting"],
            createdAt=at,
            createdBy=OWNER,
        )
        KnowledgeStore(table).add(change, knowledge)
    with table.change(OWNER, GROUP) as change:
        things.connect(change, GROUP, THING, "fromThingId")
        things.connect(change, GROUP, TARGET, "toThingId")
        connection = Connection(
            connectionId=CONNECTION,
            groupId=GROUP,
            fromThingId=THING,
            toThingId=TARGET,
            relationshipType="mentions",
            validFrom=at,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
        )
        ConnectionStore(table).add(change, connection)
    _seed_funnel(table, group, at)


def _seed_funnel(table: Table, group: Group, at: str) -> None:
    """A lead-magnet funnel: an opt-in page with a headline and a button, then a thank-you page,
    published as version 1, and the group user assigned to it."""
    funnels, structure = FunnelStore(table), StructureStore(table)
    with table.change(OWNER, GROUP) as change:
        funnels.count(change, group, +1)
        funnel = Funnel(
            funnelId=FUNNEL,
            thingId=FUNNEL,
            groupId=GROUP,
            name="Lead Magnet",
            slug="lead-magnet",
            stepIds=[STEP, SECOND_STEP],
            status=FunnelStatus.PUBLISHED,
            liveVersion=1,
            latestVersion=1,
            publishedAt=at,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
            updatedBy=OWNER,
        )
        funnels.add(change, funnel)
        steps: tuple[tuple[str, str, str, str, list[str]], ...] = (
            (STEP, "Opt-in", "opt-in", "opt_in_page", [ELEMENT, SECOND_ELEMENT]),
            (SECOND_STEP, "Thanks", "thanks", "thank_you_page", []),
        )
        for step_id, name, slug, step_type, element_ids in steps:
            step = FunnelStep(
                stepId=step_id,
                funnelId=FUNNEL,
                groupId=GROUP,
                name=name,
                slug=slug,
                stepType=step_type,
                properties={"stepType": step_type},
                elementIds=element_ids,
                createdAt=at,
                updatedAt=at,
            )
            structure.add_step(change, step)
            structure.claim_step_slug(change, step)
        for element_id, element_type, settings in (
            (ELEMENT, "headline", {"text": "Get the free guide", "level": 1, "alignment": "center"}),
            (SECOND_ELEMENT, "submit_button", {"text": "Send it to me", "action": "submit"}),
        ):
            element = PageElement(
                elementId=element_id,
                stepId=STEP,
                funnelId=FUNNEL,
                groupId=GROUP,
                elementType=element_type,
                settings=settings,
                createdAt=at,
                updatedAt=at,
            )
            structure.add_element(change, element)
        code = CustomCode(
            customCodeId=CUSTOM_CODE,
            thingId=CUSTOM_CODE,
            groupId=GROUP,
            funnelId=FUNNEL,
            name="Analytics",
            placement=CodePlacement.HEAD,
            html="<script>window.dataLayer = window.dataLayer || [];</script>",
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
            updatedBy=OWNER,
        )
        CustomCodeStore(table).add(change, code)
        assignment = Connection(
            connectionId="con_01SAMPLEASSIGNMENT00000000",
            groupId=GROUP,
            fromThingId=MEMBER,
            toThingId=FUNNEL,
            relationshipType="assigned_to",
            validFrom=at,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
        )
        AssignmentStore(table).assign(change, assignment)
        MemberStore(table).note_assignment(change, GROUP, MEMBER, {FUNNEL}, True)
    _seed_version_one(table, at)
    # Its pages, as publishing makes them
    PageProjection(table, versions_service).sync(GROUP, FUNNEL)
    _seed_shop(table, group, at)


def _seed_shop(table: Table, group: Group, at: str) -> None:
    """The shop funnel: one order page selling the sample product, published, and the group's
    Stripe account (on the local emulator, any account id is one)."""
    from funnel_core.commerce import keys as commerce_keys

    sells = {"productId": PRODUCT}
    with table.change(OWNER, GROUP) as change:
        _add_live_funnel(
            table,
            change,
            group,
            at,
            (SHOP_FUNNEL, "Shop", "shop"),
            [
                (ORDER_STEP, "Order", "order", "order_form", sells),
                (UPSELL_STEP, "Coaching", "coaching", "upsell_page", sells),
            ],
        )
        ThingStore(table).add(
            change,
            Thing(
                thingId=commerce_keys.stripe_account_id(GROUP),
                groupId=GROUP,
                type="stripe_account",
                name="Stripe account",
                status=ThingStatus.ACTIVE,
                properties={"accountId": STRIPE_ACCOUNT, "provider": "stripe"},
                createdAt=at,
                updatedAt=at,
                createdBy=OWNER,
                updatedBy=OWNER,
            ),
        )
        # An order paid on the order page, its card saved: what an upsell charges in one click.
        ThingStore(table).add(
            change,
            Thing(
                thingId=SAMPLE_ORDER,
                groupId=GROUP,
                type="order",
                name="Order on order",
                status=ThingStatus.ACTIVE,
                properties={
                    "status": "paid",
                    "funnelId": SHOP_FUNNEL,
                    "stepId": ORDER_STEP,
                    "version": 1,
                    "visitorId": "vis_SAMPLEVISITOR000000000",
                    "email": "jo@example.com",
                    "customerId": CUSTOMER,
                    "lines": [{"productId": PRODUCT, "name": "Launch course", "amount": 4900, "kind": "product"}],
                    "amount": 4900,
                    "paidAmount": 4900,
                    "currency": "USD",
                    "paymentIntentIds": ["pi_1SAMPLEINTENT000000000"],
                    "upsells": {},
                    "paymentMethodId": "pm_sample",
                    "stripeCustomerId": "cus_SAMPLE0000000",
                    "stripeAccountId": STRIPE_ACCOUNT,
                },
                createdAt=at,
                updatedAt=at,
                createdBy="vis_SAMPLEVISITOR000000000",
                updatedBy="vis_SAMPLEVISITOR000000000",
            ),
        )
    _seed_version_one(table, at, SHOP_FUNNEL)
    PageProjection(table, versions_service).sync(GROUP, SHOP_FUNNEL)
    _seed_split(table, group, at)


def _seed_split(table: Table, group: Group, at: str) -> None:
    """The split funnel: an opt-in page tested against a variant (running, 50/50) and its
    thank-you page against another (a draft), published with every arm."""
    opt_in, thanks, variant, other, spare = SPLIT_STEPS
    tests = [
        AbTest(
            abTestId=test_id,
            thingId=test_id,
            groupId=GROUP,
            funnelId=SPLIT_FUNNEL,
            name=name,
            controlStepId=control,
            variantStepIds=[challenger],
            trafficSplit=[50, 50],
            metric=AbTestMetric.OPT_IN,
            status=status,
            startedAt=at if status is AbTestStatus.RUNNING else None,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
            updatedBy=OWNER,
        )
        for test_id, name, control, challenger, status in (
            (RUNNING_TEST, "Headline test", opt_in, variant, AbTestStatus.RUNNING),
            (DRAFT_TEST, "Thank-you test", thanks, other, AbTestStatus.DRAFT),
        )
    ]
    with table.change(OWNER, GROUP) as change:
        pages = [
            (opt_in, "Opt-in", "opt-in", "opt_in_page"),
            (thanks, "Thanks", "thanks", "thank_you_page"),
            (variant, "Opt-in B", "opt-in-b", "opt_in_page"),
            (other, "Thanks B", "thanks-b", "thank_you_page"),
            (spare, "Opt-in C", "opt-in-c", "opt_in_page"),
        ]
        _add_live_funnel(
            table,
            change,
            group,
            at,
            (SPLIT_FUNNEL, "Split", "split"),
            [(step_id, name, slug, kind, {"headline": name}) for step_id, name, slug, kind in pages],
            splits=[test.split() for test in tests],
        )
        for test in tests:
            AbTestStore(table).add(change, test)
    _seed_version_one(table, at, SPLIT_FUNNEL)
    PageProjection(table, versions_service).sync(GROUP, SPLIT_FUNNEL)


def _add_live_funnel(
    table: Table,
    change: Change,
    group: Group,
    at: str,
    funnel: tuple[str, str, str],
    steps: list[tuple[str, str, str, str, dict[str, Any]]],
    **fields: Any,
) -> None:
    """A published funnel (id, name, slug) of element-less steps (id, name, slug, type, their
    properties besides the type), counted against the group, in ``change``."""
    funnel_id, name, slug = funnel
    FunnelStore(table).count(change, group, +1)
    made = Funnel(
        funnelId=funnel_id,
        thingId=funnel_id,
        groupId=GROUP,
        name=name,
        slug=slug,
        stepIds=[step[0] for step in steps],
        status=FunnelStatus.PUBLISHED,
        liveVersion=1,
        latestVersion=1,
        publishedAt=at,
        createdAt=at,
        updatedAt=at,
        createdBy=OWNER,
        updatedBy=OWNER,
        **fields,
    )
    FunnelStore(table).add(change, made)
    structure = StructureStore(table)
    for step_id, step_name, step_slug, step_type, properties in steps:
        step = FunnelStep(
            stepId=step_id,
            funnelId=funnel_id,
            groupId=GROUP,
            name=step_name,
            slug=step_slug,
            stepType=step_type,
            properties={"stepType": step_type, **properties},
            createdAt=at,
            updatedAt=at,
        )
        structure.add_step(change, step)
        structure.claim_step_slug(change, step)


def _seed_version_one(table: Table, at: str, funnel_id: str = FUNNEL) -> None:
    """Version 1 of the funnel, frozen from the draft as seeded, with the products it sells."""
    aggregate = StructureStore(table).read(GROUP, funnel_id)
    assert aggregate is not None
    view = aggregate.view()
    products, problems = sold_products(table, GROUP, view)
    assert not problems, problems
    view = view.model_copy(update={"products": products})
    snapshot = freeze(view)
    version = PublishedVersion(
        funnelId=funnel_id,
        groupId=GROUP,
        version=1,
        publishedAt=at,
        publishedBy=OWNER,
        stepCount=len(view.steps),
        elementCount=sum(len(step.elements) for step in view.steps),
        bytes=len(snapshot),
        parts=len(split(snapshot)),
        sha256=hashlib.sha256(snapshot).hexdigest(),
    )
    with table.change(OWNER, GROUP) as change:
        VersionStore(table).add(change, version, split(snapshot))
