"""Real code to measure and validate on: pinned sdists and this interpreter's stdlib.

Shared by ``validate_fix.py`` and the benchmark.  Sdists are downloaded once with
``pip download --no-deps --no-binary :all:`` into a cache folder and unpacked there.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

PINNED = ("Django==5.1.4", "Flask==3.1.0", "salt==3007.1")
DEFAULT_CACHE = Path(".bench-cache")


def stdlib() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def fetch(requirement: str, cache: Path) -> Path:
    """The unpacked source tree of ``requirement``, downloading it the first time."""
    name, _, version = requirement.partition("==")
    unpacked = cache / "src"
    for candidate in unpacked.glob("*"):
        if candidate.name.lower().replace("_", "-") == f"{name}-{version}".lower():
            return candidate
    downloads = cache / "sdists"
    downloads.mkdir(parents=True, exist_ok=True)
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
    stem = f"{name}-{version}".lower().replace("_", "-")
    for archive in downloads.glob("*.tar.gz"):
        if archive.name.lower().replace("_", "-").startswith(stem):
            unpacked.mkdir(parents=True, exist_ok=True)
            with tarfile.open(archive) as tar:
                tar.extractall(unpacked, filter="data") if sys.version_info >= (3, 12) else (
                    tar.extractall(unpacked)
                )
            return fetch(requirement, cache)
    raise SystemExit(f"no sdist found for {requirement}")


def python_files(root: Path) -> list[Path]:
    skip = {"site-packages", "__pycache__"}
    return sorted(
        p for p in root.rglob("*.py") if not skip & set(p.relative_to(root).parts) and p.is_file()
    )
