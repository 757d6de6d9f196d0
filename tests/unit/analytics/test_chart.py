"""The funnel chart's SVG: what a builder typed is text, never markup, and every figure is written."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from funnel_core.analytics.chart import funnel_chart
from funnel_core.analytics.models import FunnelAnalytics, FunnelTotals, Granularity, StepFigures

SVG = "{http://www.w3.org/2000/svg}"


def _report(steps: list[StepFigures], name: str = "Launch") -> FunnelAnalytics:
    return FunnelAnalytics.model_validate(
        {
            "groupId": "grp_1",
            "funnelId": "fnl_1",
            "name": name,
            "from": "2026-11-01",
            "to": "2026-11-30",
            "granularity": Granularity.DAY,
            "timezone": "UTC",
            "totals": FunnelTotals(),
            "steps": steps,
            "periods": [],
        }
    )


def test_names_are_text_and_long_ones_are_cut():
    hostile = StepFigures(stepId="stp_1", name="<script>alert(1)</script> & a very long name", sequence=1)
    svg = funnel_chart(_report([hostile], name='Evil "funnel" <b>'))

    parsed = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    assert "<script>" not in svg
    assert parsed.find(f"{SVG}title").text == 'Evil "funnel" <b>: unique visitors per step'
    labels = [node.text for node in parsed.iter(f"{SVG}text")]
    assert "<script>alert(1)</scr…" in labels
    assert parsed.find(f"{SVG}desc").text.startswith("From 2026-11-01 to 2026-11-30 (UTC).")


def test_a_funnel_nobody_visited_is_drawn_with_zeros_and_no_rates():
    svg = funnel_chart(_report([StepFigures(stepId="stp_1", name="Opt-in", sequence=1)]))
    parsed = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    labels = [node.text for node in parsed.iter(f"{SVG}text")]
    assert "0" in labels
    assert "Overall conversion: -" in labels
    assert len(list(parsed.iter(f"{SVG}rect"))) == 2  # the background and one bar
