"""Shared helpers: the fixture-file expectation format and running the real tools."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_wraps.analysis.core import analyze
from flake8_wraps.options import Options

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXAMPLES = ROOT / "examples"

# ``# WRP001`` or ``# WRP001:5`` (5 = the 1-based column flake8 prints)
MARKER = re.compile(r"\b(WRP\d{3})(?::(\d+))?\b")


def expected_markers(source: str) -> set[tuple[int, int | None, str]]:
    """(line, column or None, code) for every marker in a comment of ``source``."""
    expected: set[tuple[int, int | None, str]] = set()
    for number, line in enumerate(source.splitlines(), start=1):
        _, hash_, comment = line.partition("#")
        if not hash_:
            continue
        for match in MARKER.finditer(comment):
            column = int(match.group(2)) if match.group(2) else None
            expected.add((number, column, match.group(1)))
    return expected


def findings_of(source: str, options: Options | None = None) -> set[tuple[int, int, str]]:
    """(line, 1-based column, code) of every finding, as flake8 would print them."""
    return {(f.line, f.col + 1, f.code) for f in analyze(ast.parse(source), options)}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pin-messages",
        action="store_true",
        help="rewrite fixtures/WRPnnn.txt from the findings instead of comparing them",
    )


def pinned_output(source: str) -> str:
    """The findings of a fixture as its ``.txt`` file pins them: ``line:column: CODE
    message``, then `` [safe fix]`` or `` [unsafe fix]`` when the finding has a fix."""
    out = []
    for finding in analyze(ast.parse(source)):
        fix = ""
        if finding.fix is not None:
            fix = " [safe fix]" if finding.fix.safe else " [unsafe fix]"
        out.append(f"{finding.line}:{finding.col + 1}: {finding.message}{fix}\n")
    return "".join(out)


def run_tool(
    *args: str, cwd: Path, stdin: str | None = None, cache: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run a console script installed beside this interpreter.

    The command's results cache is off unless ``cache`` is set: the cache has tests of
    its own, and the others look at the files a run leaves behind.
    """
    bindir = Path(sys.executable).parent
    command = [str(bindir / args[0]), *args[1:]]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("FLAKE8_WRAPS_CACHE_DIR", None)
    env.pop("FORCE_COLOR", None)  # the text report is compared without colour
    if cache:
        env.pop("FLAKE8_WRAPS_NO_CACHE", None)
    else:
        env["FLAKE8_WRAPS_NO_CACHE"] = "1"
    return subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def tool():  # type: ignore[no-untyped-def]
    return run_tool


@pytest.fixture(autouse=True)
def _no_results_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """In-process runs of the command don't keep a results cache unless a test asks;
    the cache's signing key lives in a folder of the test session, not the user's."""
    monkeypatch.setenv("FLAKE8_WRAPS_NO_CACHE", "1")
    monkeypatch.delenv("FLAKE8_WRAPS_CACHE_DIR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "user-cache"))


# the smallest decorator WRP001 reports, and its message
# a decorator without wraps, applied (in a project, a decorator nothing applies and
# that says nothing of being one is not reported: see WRP001's evidence of use)
APPLIED = "\n\n@deco\ndef job():\n    pass\n"  # ``deco`` applied, below its definition
MISSING_WRAPS = (
    "def deco(f):\n"
    "    def wrapper(*args, **kwargs):\n"
    "        return f(*args, **kwargs)\n"
    "    return wrapper\n"
) + APPLIED
WRP001_DECO = (
    "WRP001 decorator 'deco' returns 'wrapper' without functools.wraps(f): "
    "the decorated function loses __name__, __doc__ and __wrapped__"
)


# WRP001 at 9:5 and WRP101 at 15:1, both with safe fixes
BOTH = """\
import functools

from flask import Flask

app = Flask(__name__)


def login_required(view):
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


@login_required
@app.route("/admin")
def admin():
    return "admin"
"""


# BOTH with the wrapper fixed: only WRP101 at 16:1, with a safe fix (it swaps lines
# 16 and 17)
ABOVE_ROUTE = BOTH.replace(
    "def login_required(view):\n", "def login_required(view):\n    @functools.wraps(view)\n"
)


def write(root: Path, relative: str, content: str | bytes = MISSING_WRAPS) -> Path:
    """Write ``content`` (text as UTF-8, or exact bytes) to ``root/relative``."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def lines(text: str) -> list[str]:
    return text.splitlines()


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
