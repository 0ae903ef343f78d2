"""A file-level ``# flake8: noqa`` in the command is flake8's: compared with the real
flake8 on a table of comment forms, and honoured by ``--fix``, ``--diff`` and stdin."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MISSING_WRAPS, lines, run_tool, write

TOOL = "flake8-wraps"

# each line goes at the top of its own module, above a decorator WRP001 reports
HEADERS = [
    "# flake8: noqa",
    "# flake8: noqa: E123",
    "# flake8: noqa:WRP001",
    "# flake8: noqa WRP001",
    "# flake8:noqa",
    "# FLAKE8: NOQA",
    "# Flake8= NoQA",
    "#flake8: noqa",
    "#  flake8: noqa",
    "# flake8 : noqa",
    "# flake8: qa",
    "    # flake8: noqa",
    "\t# flake8:\tnoqa",
    "x = 1  # flake8: noqa",
    '"""\n# flake8: noqa\n"""',
    '"""\n  # flake8: noqa: this docstring says so\n"""',
    "# noqa",
    "# noqa: WRP001",
    "# pylint: skip-file",
    "\ufeff# flake8: noqa",
    "# -*- coding: latin-1 -*-\n# flake8: noqa  \xe9t\xe9",
]


def _module(header: str) -> bytes:
    encoding = "latin-1" if "latin-1" in header else "utf-8"
    return (header + "\n" + MISSING_WRAPS).encode(encoding)


def _reported(output: str) -> set[str]:
    return {line.split(":")[0].removeprefix("./") for line in lines(output)}


def test_the_command_skips_exactly_the_files_flake8_skips(tmp_path: Path) -> None:
    for number, header in enumerate(HEADERS):
        write(tmp_path, f"m{number:02}.py", _module(header))
    write(tmp_path, "end.py", MISSING_WRAPS + "# flake8: noqa\n")  # anywhere in the file
    flake8 = run_tool("flake8", "--isolated", "--select=WRP", "-j", "1", ".", cwd=tmp_path)
    assert flake8.returncode == 1, flake8.stderr
    expected = _reported(flake8.stdout)
    # both skip some files and check others, so the comparison means something
    assert 0 < len(expected) < len(HEADERS) // 2
    assert "end.py" not in expected
    command = run_tool(TOOL, "--isolated", ".", cwd=tmp_path)
    assert command.stderr == ""
    assert _reported(command.stdout) == expected
    assert command.returncode == 1


@pytest.mark.parametrize("header", ["# flake8: noqa", "# flake8: noqa: E501"])
def test_a_skipped_file_is_neither_fixed_nor_diffed(tmp_path: Path, header: str) -> None:
    source = _module(header)
    path = write(tmp_path, "mod.py", source)
    write(tmp_path, "other.py")
    diff = run_tool(TOOL, "--diff", ".", cwd=tmp_path)
    assert diff.returncode == 1
    assert "other.py" in diff.stdout and "mod.py" not in diff.stdout
    fixed = run_tool(TOOL, "--fix", ".", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert lines(fixed.stderr) == ["1 fix in 1 file, 0 findings left"]
    assert path.read_bytes() == source
    stdin = run_tool(TOOL, "--fix", "-", cwd=tmp_path, stdin=source.decode())
    assert (stdin.returncode, stdin.stdout) == (0, source.decode())
    assert lines(stdin.stderr) == ["0 fixes in 0 files, 0 findings left"]


def test_removing_the_comment_brings_the_findings_back_through_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path, "mod.py", _module("# flake8: noqa"))
    skipped = run_tool(TOOL, ".", cwd=tmp_path, cache=True)
    assert (skipped.returncode, skipped.stdout) == (0, "")
    path.write_bytes(_module("# flake8: yes please"))
    again = run_tool(TOOL, ".", cwd=tmp_path, cache=True)
    assert again.returncode == 1
    assert lines(again.stdout)[0].startswith("./mod.py:3:5: WRP001 ")
