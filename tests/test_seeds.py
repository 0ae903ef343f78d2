"""The seeds' code examples: each example that shows a bug is reported exactly as its
markers say, and each that shows the cure is clean, through the core (with the
project view) and through the real command."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_wraps.analysis.core import analyze
from flake8_wraps.analysis.project import Project
from flake8_wraps.options import Options

from conftest import FIXTURES, expected_markers, run_tool

SEEDS = FIXTURES / "seeds"
EXAMPLES = sorted(p for p in SEEDS.iterdir() if p.suffix == ".py" or p.is_dir())


def _files(example: Path) -> list[Path]:
    return sorted(example.rglob("*.py")) if example.is_dir() else [example]


def _marked(example: Path) -> set[tuple[str, int, str]]:
    """The markers after code on a line (the header's comment lines name codes too)."""
    marked = set()
    for path in _files(example):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for line, _, code in expected_markers(text):
            if not lines[line - 1].lstrip().startswith("#"):
                marked.add((path.relative_to(SEEDS).as_posix(), line, code))
    return marked


def test_every_post_with_code_has_examples_and_the_bugs_are_marked() -> None:
    posts = {p.name[:3] for p in EXAMPLES}
    assert posts == {"000", "002", "003", "004"}
    marked = set().union(*(_marked(example) for example in EXAMPLES))
    codes = {code for _, _, code in marked}
    assert {"WRP001", "WRP005", "WRP006", "WRP101", "WRP102"} <= codes


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_core_reports_the_marked_lines(example: Path) -> None:
    options = Options()
    view = Project(options)
    found = set()
    for path in _files(example):
        tree = ast.parse(path.read_bytes())
        for finding in analyze(tree, options, view.scope(str(path))):
            found.add((path.relative_to(SEEDS).as_posix(), finding.line, finding.code))
    assert found == _marked(example)


def test_the_command_reports_the_marked_lines() -> None:
    result = run_tool("flake8-wraps", "--isolated", "--no-cache", ".", cwd=SEEDS)
    assert result.stderr == ""
    found = set()
    for line in result.stdout.splitlines():
        path, number, _, rest = line.split(":", 3)
        found.add((path.removeprefix("./"), int(number), rest.split()[0]))
    assert found == set().union(*(_marked(example) for example in EXAMPLES))
