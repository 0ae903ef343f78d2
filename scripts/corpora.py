"""Real code to measure and validate on: pinned sdists and this interpreter's stdlib.

Shared by ``validate_fix.py`` and the benchmark.  Sdists are downloaded once with
``pip download --no-deps --no-binary :all:`` into a cache folder and unpacked there.
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

PINNED = ("Django==5.1.4", "Flask==3.1.0", "salt==3007.1")
DEFAULT_CACHE = Path(".bench-cache")


def stdlib() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


ARCHIVES = (".tar.gz", ".zip", ".tar.bz2", ".tgz")


def _same(file_name: str, name: str, version: str) -> bool:
    """Whether ``file_name`` (an unpacked folder or an archive) is ``name`` at ``version``,
    names compared as the package index normalises them."""
    for suffix in ARCHIVES:
        if file_name.lower().endswith(suffix):
            file_name = file_name[: -len(suffix)]
            break
    base, _, found = file_name.rpartition("-")
    normal = re.sub(r"[-_.]+", "-", name).lower()
    return re.sub(r"[-_.]+", "-", base).lower() == normal and found == version


def fetch(requirement: str, cache: Path) -> Path:
    """The unpacked source tree of ``requirement``, downloading it the first time."""
    name, _, version = requirement.partition("==")
    unpacked = cache / "src"
    for candidate in unpacked.glob("*"):
        if candidate.is_dir() and _same(candidate.name, name, version):
            return candidate
    downloads = cache / "sdists"
    downloads.mkdir(parents=True, exist_ok=True)
    archive = next((a for a in downloads.iterdir() if _same(a.name, name, version)), None)
    if archive is None:
        download = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                requirement,
                "-d",
                str(downloads),
            ],
            capture_output=True,
            text=True,
        )
        if download.returncode != 0:
            raise SystemExit(f"cannot download {requirement}: {download.stderr.strip()}")
        archive = next((a for a in downloads.iterdir() if _same(a.name, name, version)), None)
    if archive is None:
        raise SystemExit(f"no sdist found for {requirement}")
    unpacked.mkdir(parents=True, exist_ok=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(unpacked)
    else:
        with tarfile.open(archive) as tar:
            if sys.version_info >= (3, 12):
                tar.extractall(unpacked, filter="data")
            else:
                tar.extractall(unpacked)
    for candidate in unpacked.glob("*"):
        if candidate.is_dir() and _same(candidate.name, name, version):
            return candidate
    raise SystemExit(f"{archive.name} does not unpack into a folder named after {requirement}")


def python_files(root: Path) -> list[Path]:
    skip = {"site-packages", "__pycache__"}
    return sorted(
        p for p in root.rglob("*.py") if not skip & set(p.relative_to(root).parts) and p.is_file()
    )
