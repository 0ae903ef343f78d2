"""Fixture projects: decorators, apps, blueprints, routers and task apps defined in one
module and used in another.  Each project goes through the core (with the project
view), the real flake8 and the real command: all three report exactly the marked
lines, and flake8 and the command print the same messages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_wraps.analysis.core import analyze
from flake8_wraps.analysis.project import Project
from flake8_wraps.options import Options

from conftest import FIXTURES, expected_markers, run_tool

PROJECTS = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())


def _marked(project: Path) -> set[tuple[str, int, str]]:
    marked = set()
    for path in sorted(project.rglob("*.py")):
        relative = path.relative_to(project).as_posix()
        for line, _, code in expected_markers(path.read_text(encoding="utf-8")):
            marked.add((relative, line, code))
    return marked


def _parsed(output: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in output.splitlines():
        path, number, _, rest = line.split(":", 3)
        found.add((path.removeprefix("./"), int(number), rest.split()[0]))
    return found


def test_every_project_has_marked_lines() -> None:
    assert len(PROJECTS) >= 10
    assert sum(bool(_marked(project)) for project in PROJECTS) >= 8


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_the_core_reports_the_marked_lines(project: Path) -> None:
    options = Options()
    view = Project(options)
    found = set()
    for path in sorted(project.rglob("*.py")):
        relative = path.relative_to(project).as_posix()
        try:
            tree = ast.parse(path.read_bytes())
        except SyntaxError:
            assert (project.name, relative) == ("broken", "decorators.py")
            continue
        for finding in analyze(tree, options, view.scope(str(path))):
            found.add((relative, finding.line, finding.code))
    assert found == _marked(project)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_flake8_and_the_command_report_the_marked_lines_alike(project: Path) -> None:
    flake8 = run_tool("flake8", "--isolated", "--select=WRP", ".", cwd=project)
    command = run_tool("flake8-wraps", "--isolated", ".", cwd=project)
    assert flake8.returncode in (0, 1), flake8.stderr
    assert _parsed(flake8.stdout) == _marked(project)
    assert sorted(command.stdout.splitlines()) == sorted(flake8.stdout.splitlines())
    if project.name == "broken":
        assert command.stderr == "./decorators.py: error: cannot parse: line 1: expected ':'\n"
    else:
        assert command.stderr == ""
