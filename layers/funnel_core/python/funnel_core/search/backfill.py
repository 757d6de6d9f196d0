"""Index again what the table holds: one group, every group, and the system templates' catalog.

The stream keeps the index true from the moment the indexer is deployed; a backfill covers what
came before (a first deploy, an index lost) and a model change, after which every chunk's
content hash differs and every chunk is embedded again. ``recreate`` drops the index first: a
new model with a new dimension needs a new mapping. Each source is applied as the stream would
apply it, so running a backfill twice, or beside the stream, changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from funnel_core.builder.catalog import system_funnel_templates, system_page_templates
from funnel_core.builder.keys import funnel_pk
from funnel_core.ontology.keys import GSI1, things_by_type_pk
from funnel_core.search.documents import CATALOG_GROUP, Source, source_of, template_source
from funnel_core.search.indexer import Indexer, indexer
from funnel_core.store.default import table
from funnel_core.store.table import Query, Table
from funnel_core.store.tenancy import group_pk

# Parallel Scan segments of a whole-table backfill, each its own thread.
SCAN_SEGMENTS = 4


@dataclass
class BackfillReport:
    sources: int = 0
    changed: int = 0

    def add(self, outcome: str) -> None:
        self.sources += 1
        self.changed += not outcome.endswith("unchanged")


class Backfill:
    def __init__(self, store: Table, index: Indexer) -> None:
        self.table = store
        self.indexer = index

    def catalog(self) -> BackfillReport:
        """The system templates, funnels and pages, under the catalog's own group."""
        templates = [*system_funnel_templates(), *system_page_templates()]
        return self._apply(template_source(CATALOG_GROUP, t.model_dump(mode="json")) for t in templates)

    def group(self, group_id: str) -> BackfillReport:
        """A group's knowledge, things and templates, and each of its funnels' steps and elements."""
        return self._apply(_sources(self._group_items(group_id)))

    def everything(self, *, recreate: bool = False) -> BackfillReport:
        if recreate:
            self.indexer.index.drop()
        self.indexer.index.ensure(self.indexer.embedder.dimension)
        report = self.catalog()
        with ThreadPoolExecutor(max_workers=SCAN_SEGMENTS) as pool:
            parts = pool.map(
                lambda n: self._apply(_sources(self.table.scan_all(n, SCAN_SEGMENTS))), range(SCAN_SEGMENTS)
            )
            for part in parts:
                report.sources += part.sources
                report.changed += part.changed
        return report

    def _group_items(self, group_id: str) -> Iterator[dict[str, Any]]:
        yield from self.table.query_all(Query(group_pk(group_id)))
        for funnel in self.table.query_all(Query(things_by_type_pk(group_id, "funnel"), index=GSI1)):
            yield from self.table.query_all(Query(funnel_pk(group_id, str(funnel["funnelId"]))))

    def _apply(self, sources: Iterable[Source]) -> BackfillReport:
        report = BackfillReport()
        for source in sources:
            report.add(self.indexer.apply(source))
        return report


def _sources(items: Iterable[dict[str, Any]]) -> Iterator[Source]:
    for item in items:
        source = source_of(item)
        # An archived item of a backfill has nothing in the index to remove but what the stream
        # already removed; a whole funnel or group removal is the stream's to make.
        if source is not None and source.chunks:
            yield source


def service() -> Backfill:
    return Backfill(table(), indexer())
