"""A bug in a rule costs the command one file, never the run.

The failure is forced by registering one more check that raises ``KeyError`` on any
module defining a function named ``boom``; every other module is checked as usual.
In-process runs patch the core directly; the run with worker processes gets the same
patch through a ``sitecustomize`` module, which every interpreter it starts imports.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_wraps.analysis import core
from flake8_wraps.analysis.context import Context
from flake8_wraps.command import cli
from flake8_wraps.command.runner import PARALLEL_THRESHOLD
from flake8_wraps.model import Finding
from flake8_wraps.registry import INTERNAL_ERROR, RULES

from conftest import MISSING_WRAPS, WRP001_DECO, lines, write

BAD = MISSING_WRAPS + "\n\ndef boom():\n    return 1\n"
ERROR = "internal error: KeyError: 'boom'; please report it"


def explode(context: Context) -> Iterator[Finding]:
    if any(function.name == "boom" for function in context.index.functions):
        raise KeyError("boom")
    return iter(())


@pytest.fixture
def broken_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "RULES", (*RULES, (INTERNAL_ERROR, explode)))


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path, *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    status = cli.main(["-j", "1", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.usefixtures("broken_rule")
def test_check_reports_the_file_and_checks_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "a_bad.py", BAD)
    write(tmp_path, "b_good.py")
    status, out, err = _run(monkeypatch, capsys, tmp_path, "a_bad.py", "b_good.py")
    assert status == 2
    assert lines(out) == [f"b_good.py:2:5: {WRP001_DECO}"]
    assert lines(err) == [f"a_bad.py: error: {ERROR}"]


@pytest.mark.usefixtures("broken_rule")
def test_fix_writes_the_other_files_and_not_that_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "a_bad.py", BAD)
    good = write(tmp_path, "b_good.py")
    status, out, err = _run(monkeypatch, capsys, tmp_path, "--fix", "a_bad.py", "b_good.py")
    assert status == 2
    assert out == ""
    assert lines(err) == [f"a_bad.py: error: {ERROR}", "1 fix in 1 file, 0 findings left"]
    assert bad.read_text() == BAD
    assert "@functools.wraps(f)" in good.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_bad.py", "b_good.py"]


@pytest.mark.usefixtures("broken_rule")
def test_fix_from_stdin_gives_the_module_back_unchanged(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[bytes]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(BAD.encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    status = cli.main(["--fix", "-"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == BAD
    assert lines(captured.err) == [f"-: error: {ERROR}", "0 fixes in 0 files, 0 findings left"]


SITECUSTOMIZE = """\
from flake8_wraps.analysis import core
from flake8_wraps.registry import INTERNAL_ERROR, RULES


def explode(context):
    if any(function.name == "boom" for function in context.index.functions):
        raise KeyError("boom")
    return iter(())


core.RULES = (*RULES, (INTERNAL_ERROR, explode))
"""


def test_an_error_in_a_worker_process_is_that_files_error(tmp_path: Path) -> None:
    project = tmp_path / "project"
    names = [f"mod{number:03}.py" for number in range(PARALLEL_THRESHOLD + 2)]
    for name in names:
        write(project, name, BAD if name == "mod007.py" else MISSING_WRAPS)
    write(tmp_path, "patch/sitecustomize.py", SITECUSTOMIZE)
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "patch"),
        "FLAKE8_WRAPS_NO_CACHE": "1",
        "PYTHONWARNINGS": "ignore",  # a coverage run warns that the patch came first
    }
    result = subprocess.run(
        [sys.executable, "-m", "flake8_wraps.command.cli", "--fix", "-j", "2", "."],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert lines(result.stderr) == [
        f"./mod007.py: error: {ERROR}",
        f"{len(names) - 1} fixes in {len(names) - 1} files, 0 findings left",
    ]
    for name in names:
        text = (project / name).read_text()
        if name == "mod007.py":
            assert text == BAD
        else:
            assert "@functools.wraps(f)" in text, name
    assert sorted(p.name for p in project.iterdir()) == names


def test_wrp900_is_registered_and_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--explain", "WRP900"]) == 0
    assert capsys.readouterr().out.startswith("# WRP900 internal-error\n")
