"""Funnel analytics: counters fed by the table's stream, and the reports read from them
(``docs/analytics.md``)."""
