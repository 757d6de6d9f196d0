"""/docs in a real browser: Swagger UI renders the OpenAPI 3.1 document, every operation listed."""

from __future__ import annotations

from local.browser import artifact, browser
from local.template import http_routes


def test_swagger_ui_lists_every_operation(api):
    operations = len(http_routes())
    with browser() as chromium:
        page = chromium.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto(f"{api.url}/docs", wait_until="networkidle")
        page.wait_for_selector(".opblock", timeout=30_000)
        listed = page.locator(".opblock").count()
        page.screenshot(path=artifact("docs.png"), full_page=True)

        assert page.locator("text=Unable to render this definition").count() == 0
        assert listed == operations
        tags = [text.splitlines()[0] for text in page.locator(".opblock-tag").all_inner_texts()]
        assert tags == ["Ontology", "Funnel builder", "Commerce", "Public pages"]
        assert errors == []
