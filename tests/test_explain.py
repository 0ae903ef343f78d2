"""``flake8-wraps --explain CODE`` and ``flake8-wraps --version``.

``--explain`` prints the rule's page, docs/rules/CODE.md, byte for byte.  Every
rule is checked in-process through :func:`flake8_wraps.command.cli.main`; the installed
console script is run once in a subprocess with the bytes compared exactly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import flake8_wraps
from flake8_wraps.command import cli
from flake8_wraps.registry import ALL_RULES

from conftest import ROOT, run_tool

TOOL = "flake8-wraps"
PAGES = ROOT / "docs" / "rules"
CODES = [rule.code for rule in ALL_RULES]


def run_bytes(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Like :func:`conftest.run_tool`, but stdout and stderr as bytes (no translation)."""
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "FLAKE8_WRAPS_NO_CACHE": "1"}
    return subprocess.run(
        [str(bindir / args[0]), *args[1:]], cwd=cwd, capture_output=True, env=env, timeout=120
    )


def test_every_rule_has_a_page() -> None:
    assert CODES, "no rules registered"
    assert sorted(path.stem for path in PAGES.glob("*.md")) == sorted(CODES)


@pytest.mark.parametrize("code", CODES)
def test_explain_prints_the_rule_page_exactly(
    code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(["--explain", code])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == ""
    assert captured.out.encode("utf-8") == (PAGES / f"{code}.md").read_bytes()


@pytest.mark.parametrize("code", ["wrp001", "Wrp101", "wrp102"])
def test_explain_accepts_any_case(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["--explain", code])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == ""
    assert captured.out.encode("utf-8") == (PAGES / f"{code.upper()}.md").read_bytes()


def test_explain_in_a_subprocess_is_byte_equal_to_the_page(tmp_path: Path) -> None:
    # run from an unrelated folder: the page must not be looked up relative to the cwd
    result = run_bytes(TOOL, "--explain", "WRP001", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert result.stdout == (PAGES / "WRP001.md").read_bytes()
    lower = run_bytes(TOOL, "--explain", "wrp101", cwd=tmp_path)
    assert lower.returncode == 0, lower.stderr
    assert lower.stdout == (PAGES / "WRP101.md").read_bytes()


def test_explain_ignores_paths_and_config(tmp_path: Path) -> None:
    # --explain prints the page and exits: a broken config or a missing path is not read
    (tmp_path / "pyproject.toml").write_text("[tool.flake8-wraps\n", encoding="utf-8")
    result = run_bytes(TOOL, "--explain", "WRP007", "missing.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert result.stdout == (PAGES / "WRP007.md").read_bytes()


@pytest.mark.parametrize("code", ["WRP999", "WRP00", "WRP0011", "E501", "WRP", ""])
def test_unknown_code_is_one_error_line(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["--explain", code])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("flake8-wraps: error: "), captured.err
    assert repr(code) in captured.err or (code and code in captured.err), captured.err


def test_unknown_code_in_a_subprocess(tmp_path: Path) -> None:
    result = run_tool(TOOL, "--explain", "WRP999", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "WRP999" in result.stderr


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    expected = version("flake8-wraps")
    assert flake8_wraps.__version__ == expected
    result = run_tool(TOOL, "--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout == f"flake8-wraps {expected}\n"
