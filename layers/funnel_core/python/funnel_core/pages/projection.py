"""Keeping the live pages true: after every move of a funnel (publish, restore, unpublish,
archive, a new slug) and of its group (a new slug, archived), the pages at its URLs are made
from the live version, and the pages at URLs it no longer has are removed.

A projection reads the current state (consistently) and makes the pages from it, so running
it again, or late, or twice at once converges on the same pages. Each page records the funnel
revision it was made from and is written only over an older one of the same funnel; a page is
removed only by the funnel that wrote it. The publishing routes project synchronously, so a
visitor sees the change as soon as the route answers; the stream runs it too (group slug
changes, and any projection a crash cut short)."""

from __future__ import annotations

import hashlib
import re
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from funnel_core.builder import keys as builder_keys
from funnel_core.builder import live
from funnel_core.builder.models.ab_tests import AbTestStatus, LiveSplit
from funnel_core.builder.models.aggregate import Funnel, FunnelStatus, FunnelView, StepView
from funnel_core.builder.offers import page_sale
from funnel_core.builder.publishing import Versions
from funnel_core.builder.publishing import service as versions_service
from funnel_core.container import once
from funnel_core.observability import logger
from funnel_core.ontology.models.groups import Group, GroupStatus
from funnel_core.pages import keys, tickets
from funnel_core.pages.form_fields import published_form_fields
from funnel_core.pages.models import LivePage, PageArm, PageForm, PageManifest, PageSplit
from funnel_core.pages.render import render_step
from funnel_core.pages.render.context import StripeJs
from funnel_core.pages.splits import deal
from funnel_core.pages.tickets import VIEW_TICKET_PLACEHOLDER, PageRef
from funnel_core.settings import get_settings
from funnel_core.store.default import table
from funnel_core.store.items import as_item, key_of, to_model
from funnel_core.store.table import Query, Table
from funnel_core.store.tenancy import group_key
from funnel_core.store.transaction import Condition

_WRITERS = 8
DOWNSELL_PAGE = "downsell_page"
# Over an older page of the same funnel, or a page another funnel left at a URL this one owns now.
_NEWER = Condition(
    "attribute_not_exists(PK) OR funnelId <> :funnel OR revision <= :revision",
)
# A page the funnel no longer has becomes a tombstone, not a gap: a projection that read the
# state before the change and writes after it must still find the newer revision there.
_OWN_OR_ABSENT = Condition("attribute_not_exists(PK) OR (funnelId = :funnel AND revision <= :revision)")
TOMBSTONE_SECONDS = 24 * 3600
# A group's ``settings.language`` (a BCP 47 tag such as "de" or "pt-BR") sets the pages' lang.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")


def page_etag(html: str) -> str:
    # Weak: the form token differs per answer, the page does not.
    return f'W/"{hashlib.sha256(html.encode()).hexdigest()[:32]}"'


def live_pages(group: Group, funnel: Funnel, view: FunnelView) -> list[LivePage]:
    """Every page of the live version: one per step of the flow (the steps no A/B test holds
    out), and the funnel's own URL for its first step. A step under a running test carries its
    arms; a step whose test chose a variant shows the winner."""
    held = funnel.held_out()
    flow = [
        step.model_copy(update={"sequence": sequence})
        for sequence, step in enumerate((s for s in view.steps if s.stepId not in held), start=1)
    ]
    flow_view = view.model_copy(update={"steps": flow})
    shown = {step.stepId: step for step in view.steps}
    pages = []
    for step in flow:
        made = _step_page(group, funnel, flow_view, step, shown, sorted(held))
        pages.append(made)
        if step.sequence == 1:
            pages.append(made.model_copy(update={"path": keys.page_path(group.slug, funnel.slug)}))
    return pages


def _serving_split(funnel: Funnel, control_id: str) -> LiveSplit | None:
    """What the funnel's tests make of this step's URL: its running test, else the last test
    that chose a variant (a test choosing the control, or stopped, leaves the control's page)."""
    splits = [split for split in funnel.splits if split.controlStepId == control_id]
    running = next((split for split in splits if split.status is AbTestStatus.RUNNING), None)
    if running is not None:
        return running
    decided = [s for s in splits if s.status is AbTestStatus.COMPLETED and s.winnerStepId not in (None, control_id)]
    return decided[-1] if decided else None


def _step_page(
    group: Group, funnel: Funnel, view: FunnelView, step: StepView, shown: dict[str, StepView], held: list[str]
) -> LivePage:
    path = keys.page_path(group.slug, funnel.slug, step.slug)
    split = _serving_split(funnel, step.stepId)
    if split is None:
        return _page(path, group, funnel, view, step, held=held)
    if split.status is AbTestStatus.COMPLETED:
        winner = shown.get(split.winnerStepId or "")
        return (
            _page(path, group, funnel, view, step, content=winner, held=held)
            if winner
            else _page(path, group, funnel, view, step, held=held)
        )
    arms = [shown.get(step_id) for step_id in split.armStepIds]
    if any(arm is None for arm in arms):
        # Started on a version that had every arm, then another version went live: the control.
        logger.warning("an A/B test's arm is not in the live version", extra={"abTestId": split.testId})
        return _page(path, group, funnel, view, step, held=held)
    made = [_page(path, group, funnel, view, step, content=arm, test_id=split.testId, held=held) for arm in arms if arm]
    page_arms = [PageArm.of(page) for page in made]
    return made[0].model_copy(
        update={"split": PageSplit(testId=split.testId, buckets=deal(split.testId, split.weights), arms=page_arms)}
    )


def _page(
    path: str,
    group: Group,
    funnel: Funnel,
    view: FunnelView,
    step: StepView,
    *,
    content: StepView | None = None,
    test_id: str = "",
    held: list[str] | None = None,
) -> LivePage:
    """The page at ``step``'s place in the flow, showing ``content`` (a test's arm) or the step."""
    shown = content or step
    language = page_language(group)
    rendered = render_step(view, shown, group.slug, lang=language, stripe=stripe_js(), place=step)
    following = next((s for s in view.steps if s.sequence == step.sequence + 1), None)
    past_downsells = next((s for s in view.steps if s.sequence > step.sequence and s.stepType != DOWNSELL_PAGE), None)
    next_path = keys.page_path(group.slug, funnel.slug, following.slug) if following else None
    form = PageForm(
        fields=published_form_fields(shown),
        nextPath=next_path,
        redirectAfterSubmit=shown.properties.get("redirectAfterSubmit"),
        acceptPath=keys.page_path(group.slug, funnel.slug, past_downsells.slug) if past_downsells else None,
        declinePath=next_path,
    )
    variant = shown.stepId if content is not None else ""
    ref = PageRef(
        group.groupId,
        funnel.funnelId,
        step.stepId,
        funnel.liveVersion or 0,
        step.sequence,
        group.settings.timezone,
        variantStepId=variant,
        abTestId=test_id,
    )
    html = rendered.html.replace(VIEW_TICKET_PLACEHOLDER, tickets.issue(ref))
    return LivePage(
        path=path,
        groupId=group.groupId,
        funnelId=funnel.funnelId,
        stepId=step.stepId,
        stepSlug=step.slug,
        stepType=step.stepType,
        sequence=step.sequence,
        version=funnel.liveVersion or 0,
        revision=funnel.version,
        html=zlib.compress(html.encode(), 6),
        contentSecurityPolicy=rendered.content_security_policy,
        etag=page_etag(html),
        form=form,
        sale=page_sale(shown, view.products),
        publishedAt=view.publishedAt or funnel.updatedAt,
        language=language,
        variantStepId=variant or None,
        abTestId=test_id or None,
        heldOut=held or [],
    )


def stripe_js() -> StripeJs:
    """Stripe.js and Stripe's API as this stack is configured: Stripe's own, or the emulator's."""
    settings = get_settings()
    if not settings.stripe_api_base:
        return StripeJs(script_url=settings.stripe_js_url)
    return StripeJs(script_url=settings.stripe_js_url, api_origin=settings.stripe_api_base, frame_origins=())


def page_language(group: Group) -> str:
    language = (group.settings.model_extra or {}).get("language")
    return language if isinstance(language, str) and _LANGUAGE_TAG.match(language) else "en"


class PageProjection:
    def __init__(self, table: Table, versions: Callable[[], Versions]) -> None:
        self.table = table
        self.versions = versions

    def sync(self, group_id: str, funnel_id: str) -> list[str]:
        """Make the funnel's pages match its live version now; the URLs it serves after."""
        wanted = [
            group_key(group_id),
            builder_keys.funnel_key(group_id, funnel_id),
            keys.manifest_key(group_id, funnel_id),
        ]
        found = self.table.batch_get(wanted)
        group_record, funnel_record, manifest_record = (found.get(key_of(key)) for key in wanted)
        if group_record is None or funnel_record is None:
            return []
        group, funnel = to_model(Group, group_record), to_model(Funnel, funnel_record)
        manifest = to_model(PageManifest, manifest_record) if manifest_record else None
        if manifest is not None and manifest.revision > funnel.version:
            return manifest.paths  # a newer projection already ran
        pages: list[LivePage] = []
        serving = group.status is GroupStatus.ACTIVE and funnel.status is FunnelStatus.PUBLISHED and funnel.liveVersion
        if serving:
            view = self.versions().published_view(group_id, funnel_id, funnel.liveVersion or 0)
            # The snapshot froze the funnel's slug at publish time; its URL is the one it has now.
            pages = live_pages(group, funnel, view.model_copy(update={"slug": funnel.slug}))
        if not serving and manifest is None:
            return []  # never had pages: nothing to take down, nothing to remember
        values = {":funnel": funnel_id, ":revision": funnel.version}
        items = [as_item(page, "live_page", keys.page_key(page.path)) for page in pages]
        self._each(lambda item: self.table.put_if(item, Condition(_NEWER.expression, values=values)), items)
        paths = [page.path for page in pages]
        gone = [path for path in (manifest.paths if manifest else []) if path not in paths]
        own = Condition(_OWN_OR_ABSENT.expression, values=values)
        expires = int(time.time()) + TOMBSTONE_SECONDS
        tombstones = [
            {
                **keys.page_key(path),
                "entity": "page_gone",
                "funnelId": funnel_id,
                "revision": funnel.version,
                "ttl": expires,
            }
            for path in gone
        ]
        self._each(lambda item: self.table.put_if(item, own), tombstones)
        updated = PageManifest(groupId=group_id, funnelId=funnel_id, paths=paths, revision=funnel.version)
        manifest_item = as_item(updated, "page_manifest", keys.manifest_key(group_id, funnel_id))
        if not self.table.put_if(
            manifest_item,
            Condition("attribute_not_exists(PK) OR revision <= :revision", values={":revision": funnel.version}),
        ):
            logger.info("a newer page projection ran first", extra={"funnelId": funnel_id})
        return paths

    def sync_group(self, group_id: str) -> None:
        """Every funnel of the group that has pages, or should: after its slug or status changed."""
        for funnel_id in self._funnels_with_pages(group_id):
            self.sync(group_id, funnel_id)

    def _funnels_with_pages(self, group_id: str) -> list[str]:
        query = Query(group_key(group_id)["PK"], sort_prefix=keys.MANIFEST)
        return [record["funnelId"] for record in self.table.query_all(query)]

    @staticmethod
    def _each(write: Callable[[Any], bool], items: list[Any]) -> None:
        if len(items) <= 1:
            for item in items:
                write(item)
            return
        with ThreadPoolExecutor(max_workers=min(_WRITERS, len(items))) as pool:
            list(pool.map(write, items))


@once
def service() -> PageProjection:
    return PageProjection(table(), versions_service)


def _sync(group_id: str, funnel_id: str) -> None:
    service().sync(group_id, funnel_id)


# Every route that changes what is live imports this module, so its pages follow at once.
live.subscribe(_sync)
