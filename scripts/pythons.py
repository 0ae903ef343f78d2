"""The CPython interpreters installed here that the project supports, one per version.

Looked for as ``python3.N`` in each folder of ``PATH`` and, when ``pyenv`` is on
``PATH``, in ``$(pyenv root)/versions/*/bin``. Each candidate is run once to learn what
it is; virtual environments, other implementations and interpreters that cannot make
a virtual environment are left out. For each version the first one
found wins, ``PATH`` before pyenv, and the newest pyenv release of a version before
older ones.

    python3 scripts/pythons.py            # each version tox tests: its interpreter or "not found"
    python3 scripts/pythons.py --paths    # the interpreters, one per line
    tox --discover $(python3 scripts/pythons.py --paths)   # tox on all of them

The versions are those of tox.ini's ``env_list`` (``py39``, ``py310``, ...); one found
from ``requires-python`` up that is not listed there is shown too.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSIONED = re.compile(r"python3\.(\d+)")
# what it is, whether it is a virtual environment, whether it can make one with pip
PROBE = (
    "import importlib.util, sys; print(sys.implementation.name, *sys.version_info[:2],"
    " int(sys.prefix != sys.base_prefix), int(importlib.util.find_spec('ensurepip') is None),"
    " sys.executable)"
)

Version = tuple[int, int]


def tested_versions() -> list[Version]:
    """The versions of tox.ini's ``env_list``."""
    text = (ROOT / "tox.ini").read_text(encoding="utf-8")
    match = re.search(r"^env_list\s*=(.*)$", text, re.MULTILINE)
    names = match.group(1) if match else ""
    return sorted({(3, int(minor)) for minor in re.findall(r"\bpy3(\d+)\b", names)})


def oldest_supported() -> Version:
    """The lowest version ``requires-python`` in pyproject.toml admits."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^requires-python\s*=\s*">=\s*3\.(\d+)', text, re.MULTILINE)
    return (3, int(match.group(1)) if match else 9)


def pyenv_root() -> Path | None:
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return None
    try:
        result = subprocess.run(
            [pyenv, "root"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    root = result.stdout.strip()
    return Path(root) if root else None


def _minor(path: Path) -> int:
    match = VERSIONED.fullmatch(path.name)
    return int(match.group(1)) if match else -1


def _release(folder: Path) -> tuple[int, ...]:
    """A pyenv version folder's release as numbers (3.12.1 -> (3, 12, 1)), for sorting."""
    return tuple(int(part) for part in re.findall(r"\d+", folder.name))


def candidates(pyenv: Path | None) -> list[Path]:
    """Every ``python3.N`` on PATH, then pyenv's (a pyenv shim on PATH runs the version
    pyenv selects, or fails)."""
    found: list[Path] = []
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        folder = Path(entry or ".")
        try:
            names = sorted(folder.iterdir(), key=_minor)
        except OSError:
            continue
        found.extend(path for path in names if VERSIONED.fullmatch(path.name))
    if pyenv is not None:
        versions = sorted((pyenv / "versions").glob("*"), key=_release, reverse=True)
        for folder in versions:
            found.extend(sorted((folder / "bin").glob("python3.*"), key=_minor))
    return [path for path in found if VERSIONED.fullmatch(path.name)]


def probe(path: Path) -> tuple[Version, Path] | None:
    """The version and executable of the CPython at ``path``, or None when it is
    something else, a virtual environment, or one that cannot make a virtual
    environment with pip (``ensurepip`` left out)."""
    try:
        result = subprocess.run(
            [str(path), "-I", "-c", PROBE], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    fields = result.stdout.strip().split(maxsplit=5)
    if (
        result.returncode != 0
        or len(fields) != 6
        or fields[:1] + fields[3:5] != ["cpython", "0", "0"]
    ):
        return None
    return (int(fields[1]), int(fields[2])), Path(fields[5])


def interpreters() -> dict[Version, Path]:
    """One interpreter for each version from ``requires-python`` up, by version."""
    oldest = oldest_supported()
    chosen: dict[Version, Path] = {}
    seen: set[Path] = set()
    for path in candidates(pyenv_root()):
        real = path.resolve()
        if real in seen or (3, _minor(path)) < oldest or (3, _minor(path)) in chosen:
            continue
        seen.add(real)
        found = probe(path)
        if found is not None and found[0] >= oldest and found[0] not in chosen:
            chosen[found[0]] = found[1]
    return dict(sorted(chosen.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paths", action="store_true", help="print the interpreters only")
    args = parser.parse_args(argv)
    found = interpreters()
    if args.paths:
        for path in found.values():
            print(path)
        return 0
    for version in sorted(set(tested_versions()) | set(found)):
        name = f"{version[0]}.{version[1]}"
        print(f"{name}\t{found.get(version, 'not found')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
