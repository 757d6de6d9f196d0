"""The public pages in the bench: what serving a page costs next to its one GetItem, how big every
system template's pages are, and where a viral funnel's writes land."""

from __future__ import annotations

import gzip
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from local.bench.markdown import table
from local.lambda_events import LambdaContext, http_event

SERVING_ITERATIONS = 300
VIRAL_VIEWS_PER_SECOND = 10_000
# Of a viral funnel's views, the share that opt in: a good opt-in page converts a few percent.
VIRAL_OPT_IN_RATE = 0.05
PARTITION_WRITES_PER_SECOND = 1_000


@dataclass(frozen=True)
class Serving:
    handler_ms: float
    get_item_ms: float
    iterations: int

    @property
    def ratio(self) -> float:
        return self.handler_ms / self.get_item_ms


@dataclass(frozen=True)
class PageSize:
    template: str
    step: str
    raw: int
    gzipped: int


@dataclass(frozen=True)
class PartitionLoad:
    what: str
    partitions: int
    busiest_per_second: int


@dataclass(frozen=True)
class LighthouseRow:
    template: str
    scores: dict[str, float]


@dataclass(frozen=True)
class PagesResult:
    serving: Serving
    sizes: list[PageSize]
    views: list[PartitionLoad]
    opt_ins: list[PartitionLoad]
    lighthouse: list[LighthouseRow]


def measure_serving(iterations: int = SERVING_ITERATIONS) -> Serving:
    """The page handler and a bare GetItem of the same page, alternated so both meet the same
    moments of the machine; medians."""
    from importlib import import_module

    from funnel_core.pages import keys
    from funnel_core.settings import get_settings
    from funnel_core.store.client import dynamodb
    from funnel_core.store.codec import serialize

    handler = import_module("pages.view").lambda_handler
    event = http_event("pages/view")
    key = serialize(keys.page_key(keys.page_path("sample-co", "lead-magnet")))
    table, client = get_settings().table_name, dynamodb()
    handler(event, LambdaContext(function_name="pages.view"))  # warm
    client.get_item(TableName=table, Key=key, ConsistentRead=True)
    handler_times, get_times = [], []
    for _ in range(iterations):
        started = time.perf_counter()
        answer = handler(event, LambdaContext(function_name="pages.view"))
        handler_times.append(time.perf_counter() - started)
        if answer["statusCode"] != 200:
            raise RuntimeError(f"the sample page answered {answer['statusCode']}")
        started = time.perf_counter()
        client.get_item(TableName=table, Key=key, ConsistentRead=True)
        get_times.append(time.perf_counter() - started)
    return Serving(statistics.median(handler_times) * 1000, statistics.median(get_times) * 1000, iterations)


def measure_sizes() -> list[PageSize]:
    """Every step of every system template, rendered as publishing stores it."""
    from funnel_core.builder.catalog import system_funnel_templates
    from funnel_core.pages.render import render_step
    from local.samples.published import view_of

    sizes = []
    for template in system_funnel_templates():
        view = view_of(template, slug=template.templateId.removeprefix("tpl_sys_"))
        for step in view.steps:
            html = render_step(view, step, "acme-coaching").html.encode()
            sizes.append(PageSize(template.templateId, step.slug, len(html), len(gzip.compress(html, 6))))
    return sizes


def _load(what: str, keys: Counter[str]) -> PartitionLoad:
    return PartitionLoad(what, len(keys), max(keys.values()) if keys else 0)


def simulate_viral_funnel(
    views: int = VIRAL_VIEWS_PER_SECOND, opt_in_rate: float = VIRAL_OPT_IN_RATE
) -> tuple[list[PartitionLoad], list[PartitionLoad]]:
    """One second of a viral funnel's first step, every view a new visitor (the most writes): the
    partition keys its writes go to, made by the real key functions, and the busiest one."""
    from funnel_core.analytics import keys as analytics_keys
    from funnel_core.audit import keys as audit_keys
    from funnel_core.leads import keys as lead_keys
    from funnel_core.leads import quota
    from funnel_core.ontology import keys as ontology_keys
    from funnel_core.store.tenancy import group_key
    from funnel_core.visitors import keys as visitor_keys
    from funnel_core.visitors.views import shard_of

    group, funnel = "grp_VIRAL", "fnl_VIRAL"
    events: Counter[str] = Counter()
    visitors: Counter[str] = Counter()
    counters: Counter[str] = Counter()
    guards_counted: Counter[str] = Counter()
    for n in range(views):
        visitor = f"vis_{n:022d}"
        events[audit_keys.visitor_events_pk(group, shard_of(visitor))] += 1
        visitors[visitor_keys.visitor_pk(group, visitor)] += 2  # first view of the step, entry into the funnel
        # The stream's count of it: a transaction, billed twice, on the counter and the guard.
        counter = analytics_keys.counter_key(
            group, funnel, analytics_keys.shard_of(visitor), "2026-12-02", "stp_1", "-"
        )
        counters[counter["PK"]] += 2
        guards_counted[analytics_keys.counted_key(group, f"evt_{n:022d}")["PK"]] += 2
    everything = events + visitors + counters + guards_counted
    view_loads = [
        _load("visitor event shards (`page_viewed`)", events),
        _load("visitors' own partitions (first views)", visitors),
        _load("the funnel's analytics counters (write units: a count is a transaction)", counters),
        _load("the counted events' guards (write units)", guards_counted),
        _load("all of a view's writes", everything),
    ]
    opt_ins = int(views * opt_in_rate)
    group_partition: Counter[str] = Counter()
    guards: Counter[str] = Counter()
    count_shards: Counter[str] = Counter()
    submissions: Counter[str] = Counter()
    audit: Counter[str] = Counter()
    group_pk = group_key(group)["PK"]
    month = "2026-12"
    for n in range(opt_ins):
        group_partition[group_pk] += 2  # the customer and the submission, things of the group
        guards[lead_keys.form_post_key(group, f"token:{n}")["PK"]] += 1
        guards[ontology_keys.customer_email_key(group, f"visitor{n}@example.com")["PK"]] += 1
        count_shards[lead_keys.submission_count_key(group, month, quota.any_shard())["PK"]] += 1
        submissions[lead_keys.funnel_submissions_pk(group, funnel)] += 1
        audit[audit_keys.events_pk(group)] += 1
    opt_in_loads = [
        _load(f"the group's partition (the customer and the submission) at {opt_in_rate:.0%} opt-ins", group_partition),
        _load("the post's replay and email guards", guards),
        _load("the shards of the month's submission count", count_shards),
        _load("the funnel's submissions list", submissions),
        _load("the group's audit trail (`form_submitted`)", audit),
    ]
    return view_loads, opt_in_loads


def measure_pages(iterations: int = SERVING_ITERATIONS, *, lighthouse: bool = True) -> PagesResult:
    views, opt_ins = simulate_viral_funnel()
    serving, sizes = measure_serving(iterations), measure_sizes()
    return PagesResult(serving, sizes, views, opt_ins, measure_lighthouse() if lighthouse else [])


def render_pages(result: PagesResult) -> str:
    serving = result.serving
    verdict = "within" if serving.ratio <= 1.2 else "over"
    sizes = table(
        ["template", "step", "HTML bytes", "gzip bytes"],
        [[f"`{s.template}`", s.step, f"{s.raw:,}", f"{s.gzipped:,}"] for s in result.sizes],
    )
    biggest = max(result.sizes, key=lambda s: s.raw)
    posts = int(VIRAL_VIEWS_PER_SECOND * VIRAL_OPT_IN_RATE)
    from funnel_core.leads.keys import SUBMISSION_COUNT_SHARDS

    def loads(rows: list[PartitionLoad]) -> str:
        return table(
            ["writes to", "partition keys", "busiest, writes a second", "at most 1,000"],
            [
                [
                    r.what,
                    f"{r.partitions:,}",
                    f"{r.busiest_per_second:,}",
                    "yes" if r.busiest_per_second <= PARTITION_WRITES_PER_SECOND else "**no**",
                ]
                for r in rows
            ],
        )

    return f"""Pages are rendered at publish time; a view is one GetItem by the URL's slugs, the stored
HTML decompressed and its form token filled in (`docs/pages.md`).

### Serving a page against its one GetItem

Median of {serving.iterations} requests of the sample funnel's page, each next to a bare GetItem
of the same item (consistent, as the handler reads it): the whole `lambda_handler` call
{serving.handler_ms:.2f} ms, the GetItem {serving.get_item_ms:.2f} ms, **{serving.ratio:.2f}x**
({verdict} the goal of 1.2x).

### Page size, every step of every system template

Goal: at most 30 KB each. The largest is `{biggest.template}` {biggest.step}: {biggest.raw:,}
bytes ({biggest.gzipped:,} gzipped).

{sizes}

### A viral funnel: {VIRAL_VIEWS_PER_SECOND:,} views a second on one funnel

CloudFront serves the page itself (about one origin request per URL and edge location every
10 s), so DynamoDB sees the view beacons' writes, and the stream's count of each view into the
funnel's analytics counters: one second of them on the funnel's first step, every view a new
visitor (the most writes a view makes), spread by the real key functions (a count is a
transaction, so its rows are in write units, each write billed twice):

{loads(result.views)}

And if {VIRAL_OPT_IN_RATE:.0%} of those visitors opt in ({posts:,} form posts a second):

{loads(result.opt_ins)}

A form post puts two items in the group's partition, the customer and the submission (things
of the ontology); its guards are partitions of their own and the month's count is spread over
{SUBMISSION_COUNT_SHARDS} shards. At {VIRAL_OPT_IN_RATE:.0%} the group's partition is at its 1,000 writes a
second: about {PARTITION_WRITES_PER_SECOND // 2:,} new customers a second is a group's ceiling
(DynamoDB counts a transaction's writes twice in capacity units; past it a post is a 503 with
Retry-After, `docs/pages.md`).

### Lighthouse

{render_lighthouse(result.lighthouse)}
"""


def _call(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    import json
    from urllib.request import Request, urlopen

    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with urlopen(Request(url, data=data, method=method, headers=headers), timeout=30) as answer:  # noqa: S310 (the local API)
        return json.loads(answer.read() or b"{}")


def measure_lighthouse() -> list[LighthouseRow]:
    """Lighthouse (mobile, its simulated throttling) on the first page of a funnel made from each
    system template and published, through the local HTTP API, one page at a time."""
    from funnel_core.builder.catalog import system_funnel_templates
    from local.lighthouse import audit
    from local.stack import LocalApi
    from local.tokens import mint_token

    token = mint_token("bench-lighthouse")
    rows = []
    with LocalApi() as api:
        group = _call("POST", f"{api.url}/groups", token, {"name": "Lighthouse bench", "type": "business"})
        for template in system_funnel_templates():
            made = {"name": template.name, "templateId": template.templateId}
            funnel = _call("POST", f"{api.url}/groups/{group['groupId']}/funnels", token, made)
            _call("POST", f"{api.url}/groups/{group['groupId']}/funnels/{funnel['funnelId']}/publish", token)
            result = audit(f"{api.url}/p/{group['slug']}/{funnel['slug']}")
            rows.append(LighthouseRow(template.templateId, result.scores))
    return rows


def render_lighthouse(rows: list[LighthouseRow]) -> str:
    if not rows:
        return "Left out of this run."
    body = table(
        ["template (first page)", "performance", "accessibility", "best practices", "SEO"],
        [
            [
                f"`{row.template}`",
                *(f"{row.scores[name]:.0f}" for name in ("performance", "accessibility", "best-practices", "seo")),
            ]
            for row in rows
        ],
    )
    return f"""Lighthouse 12.2.3, mobile with its simulated throttling, on Debian's Chromium, one page at a
time. Goal: 100, never under 95. Accessibility and SEO are tests too (`tests/api/test_lighthouse.py`).
Best practices loses its points here to the console errors of the templates' images, which live
on `images.example.com` and cannot load on this closed network; performance is simulated from
this machine's own speed, so a busy machine scores lower.

{body}
"""
