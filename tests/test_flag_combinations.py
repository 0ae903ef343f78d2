"""The command's adoption flags together: per-file-ignores, a file-level noqa, a
baseline, ``--add-noqa`` and the counting flags, each pair through the real command."""

from __future__ import annotations

from pathlib import Path

from conftest import MISSING_WRAPS, WRP001_DECO, assert_no_traceback, lines, run_tool, write

TOOL = "flake8-wraps"


def test_add_noqa_leaves_the_codes_per_file_ignores_silence(tmp_path: Path) -> None:
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores = legacy/*.py:WRP001\n")
    legacy = write(tmp_path, "legacy/old.py")
    current = write(tmp_path, "app/new.py")
    result = run_tool(TOOL, "--add-noqa", ".", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert legacy.read_text() == MISSING_WRAPS  # ignored there: nothing to comment
    assert "    def wrapper(*args, **kwargs):  # noqa: WRP001\n" in current.read_text()
    again = run_tool(TOOL, ".", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == ""


def test_add_noqa_skips_a_file_flake8_skips(tmp_path: Path) -> None:
    skipped = write(tmp_path, "skipped.py", "# flake8: noqa\n" + MISSING_WRAPS)
    result = run_tool(TOOL, "--add-noqa", ".", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert skipped.read_text() == "# flake8: noqa\n" + MISSING_WRAPS


def test_count_and_statistics_count_only_what_the_baseline_does_not_hold(
    tmp_path: Path,
) -> None:
    write(tmp_path, "old.py")
    recorded = run_tool(TOOL, "--write-baseline", "base.json", ".", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    write(tmp_path, "new.py")
    result = run_tool(TOOL, "--baseline", "base.json", "--count", "--statistics", ".", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 1
    assert lines(result.stdout) == [
        f"./new.py:2:5: {WRP001_DECO}",
        f"1     {WRP001_DECO}",
        "1",
    ]
    assert "1 finding in the baseline" in result.stderr


def test_quiet_names_only_the_files_with_new_findings(tmp_path: Path) -> None:
    write(tmp_path, "old.py")
    assert run_tool(TOOL, "--write-baseline", "base.json", ".", cwd=tmp_path).returncode == 0
    write(tmp_path, "new.py")
    result = run_tool(TOOL, "--baseline", "base.json", "-q", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert lines(result.stdout) == ["./new.py"]


def test_a_baseline_and_per_file_ignores_together(tmp_path: Path) -> None:
    write(tmp_path, "old.py")
    assert run_tool(TOOL, "--write-baseline", "base.json", ".", cwd=tmp_path).returncode == 0
    write(tmp_path, "tests/test_new.py")
    write(tmp_path, "new.py")
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores = tests/*:WRP001\n")
    result = run_tool(TOOL, "--baseline", "base.json", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert lines(result.stdout) == [f"./new.py:2:5: {WRP001_DECO}"]
