"""The README's walk through, run as a new user would run it: its shell block, with a token
from ``make token``, against the local API. Every call must succeed (curl --fail-with-body)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from local import REPO_ROOT


def _walkthrough() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A walk through with curl", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, flags=re.DOTALL).group(1)  # type: ignore[union-attr]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the walk through uses curl")
def test_the_readme_walk_through_works_as_written(api):
    script = "set -euo pipefail\n" + _walkthrough()
    port = api.url.rsplit(":", 1)[1]

    finished = subprocess.run(  # noqa: S603 - the README's own commands
        ["bash", "-c", script],  # noqa: S607 - bash from PATH, as the reader's shell
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "PORT": port, "HOME": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    last = finished.stdout.strip().splitlines()[-1]
    assert '"code":"forbidden"' in last  # the second member may not read the group's content
    assert '"name":"Free guide v2 (Copy)"' in finished.stdout
