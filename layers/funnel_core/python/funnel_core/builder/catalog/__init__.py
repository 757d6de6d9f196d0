"""The catalog of system templates.

System templates are data: one JSON file per funnel template in ``system/``, named after its
id (``tpl_sys_<slug>`` is ``<slug>.json``), validated by the very models the funnel routes use,
so a funnel made from a template is one the API would have accepted step by step. Each step of a
system funnel template is also offered on its own as a page template, ``tpl_sys_<slug>__<step-slug>``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from pydantic import ValidationError

from funnel_core.builder.models.templates import FunnelTemplate, PageTemplate, TemplateKind

SYSTEM_ID_PREFIX = "tpl_sys_"
PAGE_ID_SEPARATOR = "__"
_EN_DASH = "\u2013"


def system_funnel_templates() -> list[FunnelTemplate]:
    """Every system funnel template, in file name order. The templates are shared by the
    whole process: copy one (``model_copy(deep=True)``) before changing it."""
    return list(_funnel_templates())


def system_page_templates() -> list[PageTemplate]:
    """One page template per step of each system funnel template, in funnel and step order."""
    return list(_page_templates())


def find_system_template(template_id: str) -> FunnelTemplate | PageTemplate | None:
    return _templates_by_id().get(template_id)


def list_system_templates(
    kind: TemplateKind | None = None, category: str | None = None
) -> list[FunnelTemplate | PageTemplate]:
    """The system templates of a kind and a category (all when not given), funnels first."""
    return [
        template
        for template in _templates_by_id().values()
        if (kind is None or template.kind == kind) and (category is None or template.category == category)
    ]


def load_funnel_templates(folder: Traversable) -> tuple[FunnelTemplate, ...]:
    """The funnel templates of a folder's JSON files, in file name order: ``<slug>.json`` holds
    the system template ``tpl_sys_<slug>``. Raises ValidationError or ValueError naming the file."""
    files = sorted((entry for entry in folder.iterdir() if entry.name.endswith(".json")), key=lambda e: e.name)
    return tuple(_load(entry) for entry in files)


@cache
def _funnel_templates() -> tuple[FunnelTemplate, ...]:
    return load_funnel_templates(resources.files("funnel_core.builder.catalog").joinpath("system"))


@cache
def _page_templates() -> tuple[PageTemplate, ...]:
    return tuple(page for funnel in _funnel_templates() for page in _pages_of(funnel))


@cache
def _templates_by_id() -> dict[str, FunnelTemplate | PageTemplate]:
    templates: tuple[FunnelTemplate | PageTemplate, ...] = (*_funnel_templates(), *_page_templates())
    return {template.templateId: template for template in templates}


def _load(entry: Traversable) -> FunnelTemplate:
    try:
        template = FunnelTemplate.model_validate_json(entry.read_text(encoding="utf-8"))
    except ValidationError as error:
        error.add_note(f"in the system template file {entry.name}")
        raise
    # Funnels made from a template point at its id, so the id must never drift from the file.
    expected_id = SYSTEM_ID_PREFIX + entry.name.removesuffix(".json")
    if template.templateId != expected_id or template.scope != "system":
        raise ValueError(f"{entry.name} must hold the system template {expected_id}, not {template.templateId}")
    return template


def _pages_of(funnel: FunnelTemplate) -> list[PageTemplate]:
    return [
        PageTemplate(
            templateId=f"{funnel.templateId}{PAGE_ID_SEPARATOR}{step.slug}",
            name=f"{funnel.name} {_EN_DASH} {step.name}",
            category=funnel.category,
            tags=funnel.tags,
            description=f"The {step.name} step of the {funnel.name} funnel template.",
            previewImageUrl=step.previewImageUrl or funnel.previewImageUrl,
            step=step,
        )
        for step in funnel.steps
    ]
