"""Build a release and check it: ``python scripts/release.py`` (with the dev extra).

1. builds the sdist and the wheel (``python -m build``: the wheel is built from the
   sdist, so a file missing from the sdist fails here) into ``dist/``, after removing
   the earlier ``flake8_wraps-*`` files there;
2. checks both with ``twine check --strict``;
3. installs the wheel in a fresh virtual environment outside the repository and runs
   what a newcomer runs first, ``flake8-wraps examples/``: it must exit 1 and print
   exactly what the README shows; ``--explain WRP001`` must print the rule's page
   (shipped inside the wheel) and flake8 must load the plugin.

Exit 0 when all of it holds; otherwise one line saying what failed, and exit 1.
Publishing is a separate step: ``python -m twine upload dist/flake8_wraps-*``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"


class ReleaseError(Exception):
    """A step of the release failed; the message says which and how."""


def run(*command: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    """Run ``command``, echo it, and return its output; a failure is a ReleaseError."""
    print("$", " ".join(str(part) for part in command), flush=True)
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise ReleaseError(f"{Path(command[0]).name} exited {result.returncode}")
    return result.stdout


def build() -> tuple[Path, Path]:
    """The sdist and the wheel, freshly built into dist/."""
    for old in DIST.glob("flake8_wraps-*"):
        old.unlink()
    run(sys.executable, "-m", "build", "--outdir", DIST, ROOT)
    sdists = sorted(DIST.glob("flake8_wraps-*.tar.gz"))
    wheels = sorted(DIST.glob("flake8_wraps-*-py3-none-any.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        raise ReleaseError(f"expected one sdist and one wheel in {DIST}, found {sdists + wheels}")
    return sdists[0], wheels[0]


def expected_example_output() -> str:
    """What the README shows ``flake8-wraps examples/`` printing."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```console\n\$ flake8-wraps examples/\n(.*?)```", readme, re.S)
    if shown is None:
        raise ReleaseError("README.md has no console block of 'flake8-wraps examples/'")
    return shown.group(1)


def smoke_test(wheel: Path) -> int:
    """Install ``wheel`` in a fresh environment and run the example; return how many
    findings it printed."""
    expected = expected_example_output()
    with tempfile.TemporaryDirectory(prefix="flake8-wraps-release-") as folder:
        venv = Path(folder) / "venv"
        run(sys.executable, "-m", "venv", venv)
        bindir = venv / ("Scripts" if os.name == "nt" else "bin")
        run(bindir / "python", "-m", "pip", "install", "--quiet", wheel)
        env = {**os.environ, "FLAKE8_WRAPS_NO_CACHE": "1"}
        env.pop("FLAKE8_WRAPS_CACHE_DIR", None)
        command = [str(bindir / "flake8-wraps"), "examples/"]
        print("$", "flake8-wraps examples/", flush=True)
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        sys.stdout.write(result.stdout)
        if result.returncode != 1 or result.stderr:
            sys.stderr.write(result.stderr)
            raise ReleaseError(f"flake8-wraps examples/ exited {result.returncode}, expected 1")
        if result.stdout != expected:
            raise ReleaseError("flake8-wraps examples/ does not print what README.md shows")
        page = run(bindir / "flake8-wraps", "--explain", "WRP001", env=env)
        if not page.startswith("# WRP001"):
            raise ReleaseError("flake8-wraps --explain WRP001 does not print the rule's page")
        plugins = run(bindir / "flake8", "--version", env=env)
        if "flake8-wraps" not in plugins:
            raise ReleaseError("flake8 --version does not list the flake8-wraps plugin")
    return len(result.stdout.splitlines())


def main() -> int:
    missing = [name for name in ("build", "twine") if importlib.util.find_spec(name) is None]
    if missing:
        print(
            f"release: {' and '.join(missing)} not installed: pip install -e '.[dev]'",
            file=sys.stderr,
        )
        return 1
    try:
        sdist, wheel = build()
        run(sys.executable, "-m", "twine", "check", "--strict", sdist, wheel)
        findings = smoke_test(wheel)
    except ReleaseError as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    print(
        f"release: {sdist.relative_to(ROOT)} and {wheel.relative_to(ROOT)} built and checked;"
        f" the wheel, installed in a fresh environment, reports the example's {findings}"
        " findings as README.md shows"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
