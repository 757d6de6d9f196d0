"""Lighthouse on the published pages: npm's ``lighthouse`` (12.2.3: 13 needs Node 22), installed
by ``python -m local.lighthouse install`` under ``.local/lighthouse``, run on Debian's Chromium
with the same flags as the browser tests. Accessibility and SEO are deterministic, so they are
tests; performance and best practices depend on the machine and live in ``make bench``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from local import REPO_ROOT
from local.browser import CHROMIUM, FLAGS

PACKAGE = "lighthouse@12.2.3"
INSTALL_DIR = REPO_ROOT / ".local" / "lighthouse"
CLI = INSTALL_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass(frozen=True)
class Audit:
    scores: dict[str, float]  # 0..100 per category
    failing: dict[str, list[str]]  # per category, the audits that cost it points

    def summary(self) -> str:
        return ", ".join(f"{name} {score:.0f}" for name, score in self.scores.items())


def install() -> Path:
    """Lighthouse and its dependencies, unless they are there. No install scripts are run (it
    needs none: it drives the Chromium it is given)."""
    if CLI.exists():
        return CLI
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to install Lighthouse")
    INSTALL_DIR.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(INSTALL_DIR), PACKAGE, "--no-audit", "--no-fund", "--ignore-scripts"]
    subprocess.run([*command, "--loglevel=error"], check=True)
    return CLI


# Lighthouse itself sometimes gives up on a loaded machine (a protocol timeout, no first paint
# in time); that is the tool failing, not the page, so it is run again before it counts.
ATTEMPTS = 3


def _run(command: list[str], environment: dict[str, str], report: Path) -> str:
    failures = []
    for _ in range(ATTEMPTS):
        finished = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=240, check=False)
        if finished.returncode == 0 and report.is_file():
            return report.read_text()
        failures.append(finished.stderr.strip()[-800:] or f"exit {finished.returncode}")
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times: " + " | ".join(failures))


def audit(url: str, *, form_factor: str = "mobile", categories: tuple[str, ...] = CATEGORIES) -> Audit:
    """Lighthouse's ``categories`` scores for ``url`` (a page on 127.0.0.1), with a fresh Chromium
    profile. Leaving performance out saves most of a run: it traces a throttled page load."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as work:
        report = Path(work) / "report.json"
        flags = " ".join(["--headless", *FLAGS, f"--user-data-dir={work}/profile"])
        command = [
            str(CLI),
            url,
            "--output=json",
            f"--output-path={report}",
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={flags}",
            f"--form-factor={form_factor}",
            f"--only-categories={','.join(categories)}",
            # The report viewer's picture of the page: no score reads it, and it costs seconds a run.
            "--disable-full-page-screenshot",
            "--quiet",
        ]
        environment = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
        result = json.loads(_run(command, environment, report))
    scores, failing = {}, {}
    for name in categories:
        category = result["categories"][name]
        scores[name] = round((category["score"] or 0) * 100, 1)
        failing[name] = [
            ref["id"]
            for ref in category["auditRefs"]
            if ref.get("weight")
            and (result["audits"][ref["id"]].get("score") or 0) < 1
            and result["audits"][ref["id"]].get("score") is not None
        ]
    return Audit(scores, failing)


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        raise SystemExit("usage: python -m local.lighthouse install")
    print(install())
