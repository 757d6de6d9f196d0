"""The report's figures from counter items: SPEC section 4's definitions on a worked example
(the one docs/analytics.md walks through)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from funnel_core.analytics.counters import additions, day_in
from funnel_core.analytics.models import Granularity
from funnel_core.analytics.report import figures, period_of, range_of
from funnel_core.audit.events import Event, EventType
from funnel_core.errors import ValidationFailed

STEPS = [("stp_optin", "Opt-in"), ("stp_order", "Order"), ("stp_thanks", "Thanks")]


def _item(day: str, step: str, **counts: int) -> dict:
    return {"day": day, "stepId": step, "variant": "-", "entity": "funnel_counter", **counts}


# Two days of a three-step funnel, split over shards as the counters are.
ITEMS = [
    _item("2026-11-02", "stp_optin", views=300, uniques=200, optIns=40, botViews=25),
    _item("2026-11-03", "stp_optin", views=200, uniques=200, optIns=60, botViews=5),
    _item("2026-11-03", "stp_optin", views=20, uniques=0),  # another shard, returning visitors
    _item("2026-11-02", "stp_order", views=70, uniques=60),
    _item("2026-11-03", "stp_order", views=45, uniques=40, purchases=20, revenue_USD=94000),
    _item("2026-11-03", "stp_thanks", views=25, uniques=20, purchases=5, revenue_USD=15000),
    _item("2026-11-03", "stp_gone", views=7, uniques=7),  # a step removed since
]


def test_the_worked_example():
    steps, totals, periods = figures(STEPS, ITEMS, Granularity.DAY)

    optin, order, thanks, gone = steps
    assert (optin.views, optin.uniqueVisitors, optin.optIns, optin.botViews) == (520, 400, 100, 30)
    # opt-in rate = opt-ins / unique visitors of the step
    assert optin.optInRate == 0.25
    # step conversion k = unique visitors of step k / unique visitors of step k-1; drop-off = 1 - it
    assert (optin.stepConversion, optin.dropOff) == (None, None)
    assert (order.stepConversion, order.dropOff) == (0.25, 0.75)
    assert (thanks.stepConversion, thanks.dropOff) == (0.2, 0.8)
    # overall conversion = visitors reaching the goal (the last step) / visitors entering step 1
    assert totals.overallConversion == 0.05
    assert (totals.purchases, totals.revenue) == (25, {"USD": 109000})
    # earnings per click = revenue / unique visitors of step 1; average order value = revenue / purchases
    assert totals.earningsPerClick == {"USD": 272.5}
    assert totals.averageOrderValue == {"USD": 4360.0}
    assert (totals.views, totals.uniqueVisitors, totals.botViews) == (667, 400, 30)
    # A removed step's counts stay, after the funnel's own steps, without a place in it.
    assert (gone.stepId, gone.sequence, gone.stepConversion) == ("stp_gone", None, None)
    assert [p.period for p in periods] == ["2026-11-02", "2026-11-03"]
    assert [v.variant for v in optin.variants] == ["-"]


def test_periods_by_week_and_month():
    _, _, weeks = figures(STEPS, ITEMS, Granularity.WEEK)
    assert [w.period for w in weeks] == ["2026-11-02"]  # a Monday: both days in its week
    assert period_of("2026-11-08", Granularity.WEEK) == "2026-11-02"
    assert period_of("2026-11-09", Granularity.WEEK) == "2026-11-09"
    assert period_of("2026-11-30", Granularity.MONTH) == "2026-11"
    (week,) = weeks
    assert sum(step.views for step in week.steps) == 667


def test_nothing_to_divide_by_is_no_rate_rather_than_a_zero():
    steps, totals, _ = figures(STEPS, [], Granularity.DAY)
    assert [s.optInRate for s in steps] == [None, None, None]
    assert steps[1].stepConversion is None
    assert totals.overallConversion is None
    assert totals.earningsPerClick == {}


def test_days_follow_the_groups_time_zone():
    # 23:30 UTC on 1 November is already 2 November in Paris, still 1 November in New York.
    assert day_in(ZoneInfo("Europe/Paris"), "2026-11-01T23:30:00.000Z") == "2026-11-02"
    assert day_in(ZoneInfo("America/New_York"), "2026-11-01T23:30:00.000Z") == "2026-11-01"
    assert day_in(ZoneInfo("Asia/Kathmandu"), "2026-11-01T18:14:00+00:00") == "2026-11-01"
    assert day_in(ZoneInfo("Asia/Kathmandu"), "2026-11-01T18:15:00+00:00") == "2026-11-02"


def test_what_each_event_adds():
    def event(event_type: EventType, **metadata) -> Event:
        return Event(
            eventId="evt_1", groupId="grp_1", type=event_type, actorId="vis_1", targetId="stp_1",
            timestamp="2026-11-01T10:00:00Z", metadata=metadata,
        )  # fmt: skip

    assert additions(event(EventType.PAGE_VIEWED, firstView=True)) == {"views": 1, "uniques": 1}
    assert additions(event(EventType.PAGE_VIEWED, firstView=False)) == {"views": 1}
    assert additions(event(EventType.FORM_SUBMITTED)) == {"optIns": 1}
    paid = event(EventType.PURCHASE_COMPLETED, amount=4900, currency="usd")
    assert additions(paid) == {"purchases": 1, "revenue_USD": 4900}
    assert additions(event(EventType.FUNNEL_PUBLISHED)) == {}


def test_a_range_is_checked():
    zone = ZoneInfo("UTC")
    from datetime import date

    assert range_of(date(2026, 11, 1), date(2026, 11, 30), zone) == (date(2026, 11, 1), date(2026, 11, 30))
    first, last = range_of(None, date(2026, 11, 30), zone)
    assert (last - first).days == 29
    with pytest.raises(ValidationFailed) as backwards:
        range_of(date(2026, 11, 30), date(2026, 11, 1), zone)
    assert backwards.value.fields[0].field == "from"
    with pytest.raises(ValidationFailed):
        range_of(date(2025, 1, 1), date(2026, 11, 30), zone)
