"""Fixture projects: decorators, apps, blueprints, routers and task apps defined in one
module and used in another.  Each project goes through the core (with the project
view), the real flake8 and the real command: all three report exactly the marked
lines, and flake8 and the command print the same messages.  A marker followed by
``(command`` is a view clashing with a view of another module on a shared app: only
the command, which reads every module, reports it."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from flake8_wraps.analysis.core import analyze
from flake8_wraps.analysis.project import Project
from flake8_wraps.options import Options

from conftest import FIXTURES, expected_markers, run_tool

PROJECTS = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())


def _marked(project: Path, command: bool = False) -> set[tuple[str, int, str]]:
    marked = set()
    for path in sorted(project.rglob("*.py")):
        relative = path.relative_to(project).as_posix()
        text = path.read_text(encoding="utf-8").splitlines()
        for line, _, code in expected_markers("\n".join(text)):
            if command or "(command" not in text[line - 1]:
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
    assert _parsed(command.stdout) == _marked(project, command=True)
    assert set(flake8.stdout.splitlines()) <= set(command.stdout.splitlines())
    if project.name == "broken":
        # the parser's own words differ between interpreters ("expected ':'" from 3.10)
        assert command.stderr.startswith("./decorators.py: error: cannot parse: line 1: ")
        assert command.stderr.count("\n") == 1
    else:
        assert command.stderr == ""


SEEDS = FIXTURES / "projects" / "seeds_layout"


def test_a_staged_file_alone_still_sees_the_module_it_imports(tmp_path: Path) -> None:
    """pre-commit passes only the staged files: the views module alone."""
    result = run_tool("flake8-wraps", "--isolated", "app/app.py", cwd=SEEDS)
    assert sorted(_parsed(result.stdout)) == [
        ("app/app.py", 14, "WRP102"),
        ("app/app.py", 20, "WRP102"),
        ("app/app.py", 21, "WRP006"),
        ("app/app.py", 21, "WRP007"),
    ]


def test_with_a_warm_cache_editing_the_decorators_changes_the_views_findings(
    tmp_path: Path,
) -> None:
    project = tmp_path / "seeds"
    shutil.copytree(SEEDS, project)
    first = run_tool("flake8-wraps", "--isolated", ".", cwd=project, cache=True)
    warm = run_tool("flake8-wraps", "--isolated", ".", cwd=project, cache=True)
    assert warm.stdout == first.stdout
    assert ("app/app.py", 14, "WRP102") in _parsed(warm.stdout)
    # the decorators get functools.wraps; app.py itself is not touched
    decorators = project / "app" / "utils" / "decorators.py"
    text = decorators.read_text()
    text = text.replace("import time\n", "import functools\nimport time\n", 1)
    text = text.replace("    def wrapper(", "    @functools.wraps(func)\n    def wrapper(")
    decorators.write_text(text)
    after = run_tool("flake8-wraps", "--isolated", ".", cwd=project, cache=True)
    assert sorted(_parsed(after.stdout)) == [
        ("app/app.py", 21, "WRP006"),
        ("app/app.py", 21, "WRP007"),
    ]


def test_a_summary_survives_json() -> None:
    import json

    from flake8_wraps.analysis.index import build_index
    from flake8_wraps.analysis.summary import ModuleSummary, summarize

    path = SEEDS / "app" / "utils" / "decorators.py"
    index = build_index(ast.parse(path.read_bytes()))
    summary = summarize(index, Options())
    assert set(summary.entries) == {"timeit", "check_cookie"}
    again = ModuleSummary.from_json(json.loads(json.dumps(summary.to_json())))
    assert again == summary


def test_views_shared_across_modules_are_compared_from_a_warm_cache_too(tmp_path: Path) -> None:
    project = tmp_path / "split"
    shutil.copytree(FIXTURES / "projects" / "split_views", project)
    cold = run_tool("flake8-wraps", "--isolated", ".", cwd=project, cache=True)
    warm = run_tool("flake8-wraps", "--isolated", ".", cwd=project, cache=True)
    assert warm.stdout == cold.stdout
    assert ("views/users.py", 5, "WRP102") in _parsed(warm.stdout)
    as_json = run_tool("flake8-wraps", "--isolated", "--format=json", ".", cwd=project, cache=True)
    import json

    found = {
        (i["path"].removeprefix("./"), i["line"], i["code"]) for i in json.loads(as_json.stdout)
    }
    assert found == _parsed(cold.stdout)
