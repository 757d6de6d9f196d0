"""A real browser for the tests: Debian's Chromium, headless, driven by Playwright.

Playwright's own browser download does not work here (and is not needed): it drives the
``chromium`` Debian package, installed by ``python -m local.browser install`` (``make test``
runs it; it needs root, as apt does). Chromium runs with a fresh profile and without the
background traffic it would otherwise try to send out of a closed network.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from local import REPO_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

CHROMIUM = Path("/usr/bin/chromium")
PACKAGES = ("chromium",)
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
ARTIFACTS = REPO_ROOT / "test-artifacts"


def install() -> Path:
    """Chromium from Debian's packages, unless it is there already."""
    if CHROMIUM.exists():
        return CHROMIUM
    apt = shutil.which("apt-get")
    if apt is None:
        raise RuntimeError(f"{CHROMIUM} is missing and there is no apt-get to install it with")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install_command = [apt, "install", "-y", "-q", "--no-install-recommends", *PACKAGES]
    if subprocess.run(install_command, env=environment, check=False).returncode != 0:
        subprocess.run([apt, "update", "-q"], env=environment, check=True)  # a fresh machine's lists may be stale
        subprocess.run(install_command, env=environment, check=True)
    return CHROMIUM


@contextmanager
def browser(user_agent: str | None = None) -> Iterator[BrowserContext]:
    """A headless Chromium with a profile of its own, closed and removed on exit. Headless
    Chromium names itself HeadlessChrome, which bot lists know: ``user_agent`` makes it a
    visitor's browser."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=list(FLAGS), user_agent=user_agent
        )
        try:
            yield context
        finally:
            context.close()


# The tests' network is closed: third-party images and players are answered here, not fetched.
_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def offline(route: Any) -> None:
    """A Playwright route handler for what lies outside 127.0.0.1: an image is a pixel, anything
    else an empty answer, so a page behaves as if the internet were there and quiet."""
    if route.request.resource_type == "image":
        route.fulfill(status=200, content_type="image/png", body=_PIXEL)
    else:
        route.fulfill(status=204, body="")


def outside(address: str) -> bool:
    return urlsplit(address).hostname != "127.0.0.1"


def artifact(name: str) -> Path:
    """Where a test keeps what it saw (screenshots), for whoever reads the run afterwards."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        raise SystemExit("usage: python -m local.browser install")
    print(install())
