"""WRP001 and the evidence of use: in a project, a decorator without ``wraps`` is
reported when something applies it with ``@`` (in any module of the project, or in a
docstring's example) or its docstring says it is a decorator; a function of the same
shape that nothing applies is left alone.  Without a project (no root folder) the
shape alone decides.  The cache never keeps a finding, or its absence, once the
evidence has changed."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from flake8_wraps.analysis.applied import _names_of
from flake8_wraps.analysis.core import analyze
from flake8_wraps.analysis.project import Project
from flake8_wraps.options import Options

from conftest import FIXTURES, MISSING_WRAPS, run_tool, write

EVIDENCE = FIXTURES / "projects" / "evidence"
DECORATORS = EVIDENCE / "lib" / "decorators.py"
NEAR_MISSES = {68, 78}  # nan_safe and normalised: nothing applies them with ``@``


def _lines(path: Path, project: Project | None) -> set[int]:
    scope = None if project is None else project.scope(str(path))
    return {
        f.line
        for f in analyze(ast.parse(path.read_bytes()), Options(), scope)
        if f.code == "WRP001"
    }


def _found(output: str) -> set[tuple[str, int]]:
    return {
        (line.split(":")[0].removeprefix("./"), int(line.split(":")[1]))
        for line in output.splitlines()
    }


def test_the_near_misses_are_reported_by_shape_and_left_alone_in_the_project() -> None:
    alone = _lines(DECORATORS, None)
    in_project = _lines(DECORATORS, Project(Options()))
    assert alone >= NEAR_MISSES
    assert alone - in_project == NEAR_MISSES
    assert in_project == {5, 16, 24, 34, 43, 57}


def test_the_text_search_finds_what_follows_an_at_sign_at_the_start_of_a_line() -> None:
    source = (
        b"@a.b . route('/')\n"
        b"  @ deco\n"
        b">>> @profile\n"
        b"... @ more.cached\n"
        b"x = a @ b\n"
        b"# @commented\n"
        b"s = '@quoted'\n"
    )
    assert _names_of(source) == {"route", "deco", "profile", "cached"}


def test_a_use_in_another_module_is_evidence_for_the_command_and_the_cache(tmp_path: Path) -> None:
    project = tmp_path / "evidence"
    shutil.copytree(EVIDENCE, project)
    views = project / "views.py"
    cold = run_tool("flake8-wraps", "--isolated", ".", cwd=project, cache=True)
    assert ("lib/decorators.py", 5) in _found(cold.stdout)
    # the only ``@logged`` goes: the warm cache must not keep the finding
    views.write_text(views.read_text().replace("@logged\n", ""))
    without = run_tool("flake8-wraps", "--isolated", ".", cwd=project, cache=True)
    assert ("lib/decorators.py", 5) not in _found(without.stdout)
    assert len(_found(without.stdout)) == len(_found(cold.stdout)) - 1
    # a new module applies a near miss: it is reported, though decorators.py is unchanged
    write(
        project,
        "jobs.py",
        "from lib.decorators import nan_safe\n\n\n@nan_safe\ndef job():\n    pass\n",
    )
    applied = run_tool("flake8-wraps", "--isolated", ".", cwd=project, cache=True)
    assert _found(applied.stdout) == _found(without.stdout) | {("lib/decorators.py", 68)}
    flake8 = run_tool("flake8", "--isolated", "--select=WRP", ".", cwd=project)
    assert _found(flake8.stdout) == _found(applied.stdout)


def test_without_a_project_the_shape_decides(tmp_path: Path) -> None:
    source = MISSING_WRAPS.split("\n\n\n@deco")[0] + "\n"
    assert "@deco" not in source
    write(tmp_path, "loose.py", source)
    alone = run_tool("flake8-wraps", "--isolated", "loose.py", cwd=tmp_path)
    assert _found(alone.stdout) == {("loose.py", 2)}
    write(tmp_path, "setup.cfg", "")  # now a project, in which nothing applies ``deco``
    in_project = run_tool("flake8-wraps", "--isolated", "loose.py", cwd=tmp_path)
    assert (in_project.returncode, in_project.stdout) == (0, "")
    flake8 = run_tool("flake8", "--isolated", "--select=WRP", "loose.py", cwd=tmp_path)
    assert (flake8.returncode, flake8.stdout) == (0, "")


def test_a_scan_kept_by_the_cache_is_taken_back_only_whole_and_well_formed(
    tmp_path: Path,
) -> None:
    from flake8_wraps.analysis import applied

    path = write(tmp_path, "uses.py", "@logged\ndef f():\n    pass\n")
    status = path.stat()
    row: list[object] = [status.st_mtime_ns, status.st_size, ["cached_name"]]
    assert not applied.remember({str(path): [status.st_mtime_ns, "size", []]})
    assert not applied.remember({str(path): row, str(tmp_path / "b.py"): [1, 2, [3]]})
    assert applied.applied_under(str(tmp_path)) == {"logged"}  # nothing was taken
    applied.forget()
    # a row for the file as it is now is trusted (the cache that kept it verified) ...
    applied._files.pop(str(path), None)
    assert applied.remember({str(path): row})
    assert applied.applied_under(str(tmp_path)) == {"cached_name"}
    applied.forget()
    # ... and one for another version of the file is not: it is read again
    path.write_text("@other\ndef f():\n    pass\n")
    assert applied.applied_under(str(tmp_path)) == {"other"}
    snapshot = applied.snapshot()
    assert snapshot is not None and snapshot[str(path)][2] == ["other"]
    applied.forget()
