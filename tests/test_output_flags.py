"""The usual output flags: ``--count``, ``--statistics``, ``--show-source``, ``-q``,
``--color``, ``--output-file``/``-o``, ``--exit-zero`` and ``--show-fixes``.

Where flake8 has the flag, the command must print the same bytes as the real flake8
on the same tree, and read the same ``[flake8]`` options; the rest is checked
through the real command.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_wraps.command import cli

from conftest import BOTH, FIXTURES, MISSING_WRAPS, lines, run_tool, write

TOOL = "flake8-wraps"


# a tab before the wrapper's def: the caret must sit under it with the same tab
TABBED = (
    "def deco(f):\n\tdef wrapper(*args, **kwargs):\n\t\treturn f(*args, **kwargs)\n"
    "\treturn wrapper\n"
)


def _tree(root: Path) -> None:
    """Three files with findings (two codes, one file twice WRP001) and a clean one."""
    write(root, "app.py", BOTH)
    write(root, "deco.py", MISSING_WRAPS + "\n\n" + MISSING_WRAPS.replace("deco", "deco2"))
    write(root, "pkg/tabbed.py", TABBED)
    write(root, "pkg/clean.py", "x = 1\n")


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "FLAKE8_WRAPS_NO_CACHE": "1"}
    for name in ("NO_COLOR", "FORCE_COLOR", "FLAKE8_WRAPS_CACHE_DIR"):
        env.pop(name, None)
    env.update(extra)
    return env


def _run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    bindir = Path(sys.executable).parent
    return subprocess.run(
        [str(bindir / args[0]), *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(**env),
        timeout=120,
    )


# --- the same bytes as flake8 ------------------------------------------------------

FLAKE8_FLAGS = [
    (),
    ("--count",),
    ("--statistics",),
    ("--show-source",),
    ("-q",),
    ("-qq",),
    ("-q", "--count", "--statistics", "--show-source"),
    ("-qq", "--count", "--statistics"),
    ("--color=always",),
    ("--color=always", "--show-source", "--statistics", "--count"),
    ("--color=never",),
    ("--color=auto",),  # not a terminal: no colour
    ("--exit-zero",),
    ("--exit-zero", "--count"),
    ("--show-source", "--no-show-source"),
]


@pytest.mark.parametrize("flags", FLAKE8_FLAGS, ids=lambda flags: " ".join(flags) or "none")
def test_the_command_prints_what_flake8_prints(tmp_path: Path, flags: tuple[str, ...]) -> None:
    _tree(tmp_path)
    flake8 = _run("flake8", "--isolated", "--select=WRP", "-j", "1", *flags, ".", cwd=tmp_path)
    command = _run(TOOL, "--isolated", *flags, ".", cwd=tmp_path)
    assert flake8.stderr == ""
    assert command.stderr == ""
    assert flake8.stdout.count("WRP") or "-qq" in flags or "-q" in flags  # not empty
    assert command.stdout == flake8.stdout
    assert command.returncode == flake8.returncode


def test_statistics_and_count_have_the_numbers_of_the_run(tmp_path: Path) -> None:
    _tree(tmp_path)
    result = run_tool(TOOL, "-qq", "--statistics", "--count", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    counts = [line.split()[:2] for line in lines(result.stdout)]
    assert counts == [["4", "WRP001"], ["1", "WRP101"], ["5"]]


# WRP002 at 7:13, after a non-ASCII name: ``ast`` counts the column in UTF-8 bytes
NOT_APPLIED = """\
import functools


def deco(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    ü = 1; functools.wraps(f)
    return wrapper
"""


def test_show_source_puts_the_caret_under_the_column(tmp_path: Path) -> None:
    write(tmp_path, "wide.py", NOT_APPLIED)
    result = run_tool(TOOL, "--show-source", "wide.py", cwd=tmp_path)
    shown = lines(result.stdout)
    assert shown[0].startswith("wide.py:7:13: WRP002 ")
    # under the 'f' of functools: flake8 counts the bytes and puts it one further
    assert shown[1:] == ["    ü = 1; functools.wraps(f)", "           ^"]
    write(tmp_path, "tabbed.py", TABBED)
    result = run_tool(TOOL, "--show-source", "tabbed.py", cwd=tmp_path)
    assert lines(result.stdout)[1:] == ["\tdef wrapper(*args, **kwargs):", "\t^"]


@pytest.mark.parametrize(
    "setting",
    [
        "count = true",
        "statistics = 1",
        "show-source = yes",
        "show_source = on",
        "quiet = 1",
        "quiet = 2",
        "count = false",
        # flake8 reads these from the command line only
        "exit-zero = true",
        "color = always",
        "output-file = report.txt",
    ],
)
def test_the_flake8_section_is_read_as_flake8_reads_it(tmp_path: Path, setting: str) -> None:
    _tree(tmp_path)
    write(tmp_path, "setup.cfg", f"[flake8]\nselect = WRP\n{setting}\n")
    flake8 = _run("flake8", "-j", "1", ".", cwd=tmp_path)
    command = _run(TOOL, ".", cwd=tmp_path)
    assert command.stderr == ""
    assert (command.returncode, command.stdout) == (flake8.returncode, flake8.stdout)
    assert not (tmp_path / "report.txt").exists()


def test_a_flag_turns_off_what_the_config_turns_on(tmp_path: Path) -> None:
    _tree(tmp_path)
    write(tmp_path, "pyproject.toml", "[tool.flake8-wraps]\ncount = true\nshow-source = true\n")
    on = run_tool(TOOL, ".", cwd=tmp_path)
    assert "    ^" in lines(on.stdout) and lines(on.stdout)[-1] == "5"
    off = run_tool(TOOL, "--no-count", "--no-show-source", ".", cwd=tmp_path)
    assert len(lines(off.stdout)) == 5
    assert all(": WRP" in line for line in lines(off.stdout))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('[tool.flake8-wraps]\ncount = "maybe"\n', ("count", "maybe")),
        ('[tool.flake8-wraps]\nquiet = "loud"\n', ("quiet", "loud")),
        ("[tool.flake8-wraps]\nshow-source = 1\n", ("show-source",)),
        ("[tool.flake8-wraps]\nexit-zero = true\n", ("exit-zero",)),
    ],
)
def test_a_bad_value_is_one_error_line(tmp_path: Path, content: str, words: tuple[str]) -> None:
    write(tmp_path, "deco.py")
    name = "pyproject.toml" if content.startswith("[tool") else "setup.cfg"
    write(tmp_path, name, content)
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = lines(result.stderr)
    assert line.startswith(f"flake8-wraps: error: {tmp_path / name}: "), line
    for word in words:
        assert word in line


# --- --exit-zero --------------------------------------------------------------------


def test_exit_zero_turns_findings_into_success_but_not_errors(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = run_tool(TOOL, "--exit-zero", ".", cwd=tmp_path)
    assert found.returncode == 0
    assert len(lines(found.stdout)) == 5
    check = run_tool(TOOL, "--exit-zero", "--check", ".", cwd=tmp_path)
    assert (check.returncode, len(lines(check.stdout))) == (0, 3)
    write(tmp_path, "broken.py", "def (:\n")
    broken = run_tool(TOOL, "--exit-zero", ".", cwd=tmp_path)
    assert broken.returncode == 2
    assert lines(broken.stderr) == ["./broken.py: error: cannot parse: line 1: invalid syntax"]


# --- --output-file / -o ---------------------------------------------------------------


@pytest.mark.parametrize("flag", ["-o", "--output-file"])
def test_output_file_holds_the_report_and_replaces_what_was_there(
    tmp_path: Path, flag: str
) -> None:
    _tree(tmp_path)
    expected = run_tool(TOOL, "--statistics", ".", cwd=tmp_path).stdout
    write(tmp_path, "reports/old.txt", "an old report\n" * 100)
    result = run_tool(TOOL, flag, "reports/old.txt", "--statistics", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert (result.stdout, result.stderr) == ("", "")
    assert (tmp_path / "reports/old.txt").read_text() == expected
    # flake8 makes the folder; --count still goes to stdout, as in flake8
    made = run_tool(TOOL, flag, "new/dir/r.txt", "--count", ".", cwd=tmp_path)
    assert made.stdout == "5\n"
    assert (tmp_path / "new/dir/r.txt").read_text().count(": WRP") == 5
    flake8 = _run(
        "flake8", "--isolated", "--select=WRP", "--output-file=f.txt", "--count", ".", cwd=tmp_path
    )
    assert flake8.stdout == made.stdout
    assert (tmp_path / "f.txt").read_text() == (tmp_path / "new/dir/r.txt").read_text()


def test_output_file_takes_every_format_and_the_fix_summary_stays_on_stderr(
    tmp_path: Path,
) -> None:
    write(tmp_path, "app.py", BOTH)
    json_run = run_tool(TOOL, "-o", "out.json", "--format=json", ".", cwd=tmp_path)
    assert json_run.stdout == ""
    assert [item["code"] for item in json.loads((tmp_path / "out.json").read_text())] == [
        "WRP001",
        "WRP101",
    ]
    diff = run_tool(TOOL, "-o", "out.diff", "--diff", ".", cwd=tmp_path)
    assert diff.stdout == ""
    assert (tmp_path / "out.diff").read_text().startswith("--- ./app.py\n+++ ./app.py\n")
    assert lines(diff.stderr) == ["2 fixes would be made in 1 file, 0 findings left"]


def test_output_file_that_cannot_be_written_is_one_error_line(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    write(tmp_path, "a_file", "")
    result = run_tool(TOOL, "-o", "a_file/report.txt", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = lines(result.stderr)
    assert line.startswith("flake8-wraps: error: cannot write a_file/report.txt: "), line


# --- --color --------------------------------------------------------------------------

BOLD_PATH = "\033[1m./deco.py\033[m"


@pytest.mark.parametrize(
    ("flags", "env", "colored"),
    [
        ((), {}, False),  # a pipe: no colour
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ((), {"FORCE_COLOR": ""}, False),  # empty: not set
        (("--color=never",), {"FORCE_COLOR": "1"}, False),
        (("--color=always",), {"NO_COLOR": "1"}, True),
        (("--color=always", "--format=github"), {}, False),
        (("--color=always", "--format=json"), {}, False),
        (("--color=always", "-o", "out.txt"), {}, False),
    ],
)
def test_color_follows_the_flag_then_the_environment(
    tmp_path: Path, flags: tuple[str, ...], env: dict[str, str], colored: bool
) -> None:
    write(tmp_path, "deco.py")
    result = _run(TOOL, *flags, ".", cwd=tmp_path, **env)
    assert result.returncode == 1
    written = result.stdout + ((tmp_path / "out.txt").read_text() if "-o" in flags else "")
    assert ("\033[" in written) is colored
    if colored:
        assert written.startswith(BOLD_PATH)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_color_on_a_terminal_by_default_unless_no_color(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "deco.py")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for env, colored in (({}, True), ({"NO_COLOR": "1"}, False)):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        assert cli.main(["."]) == 1
        assert terminal.getvalue().startswith(BOLD_PATH) is colored


def test_color_takes_no_other_value(tmp_path: Path) -> None:
    result = run_tool(TOOL, "--color=yes", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "--color" in result.stderr


# --- --quiet with --fix, formats, and the document formats --------------------------------


def test_quiet_replaces_every_format(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    write(tmp_path, "clean.py", "x = 1\n")
    for fmt in ("text", "json", "sarif", "github"):
        quiet = run_tool(TOOL, "-q", f"--format={fmt}", ".", cwd=tmp_path)
        assert (quiet.returncode, quiet.stdout) == (1, "./deco.py\n"), fmt
        silent = run_tool(TOOL, "-qq", f"--format={fmt}", ".", cwd=tmp_path)
        assert (silent.returncode, silent.stdout) == (1, ""), fmt


def test_quiet_fix_prints_no_summary(tmp_path: Path) -> None:
    write(tmp_path, "app.py", BOTH)
    fixed = run_tool(TOOL, "-q", "--fix", ".", cwd=tmp_path)
    assert (fixed.returncode, fixed.stdout, fixed.stderr) == (0, "", "")
    assert "@functools.wraps(view)" in (tmp_path / "app.py").read_text()


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_counts_with_a_document_format_go_to_stderr(tmp_path: Path, fmt: str) -> None:
    _tree(tmp_path)
    result = run_tool(TOOL, f"--format={fmt}", "--count", "--statistics", ".", cwd=tmp_path)
    assert result.returncode == 1
    json.loads(result.stdout)  # one document, nothing after it
    assert [line.split()[:2] for line in lines(result.stderr)] == [
        ["4", "WRP001"],
        ["1", "WRP101"],
        ["5"],
    ]


def test_count_with_stdin_fix_goes_to_stderr(tmp_path: Path) -> None:
    result = run_tool(TOOL, "--fix", "--count", "-", cwd=tmp_path, stdin=BOTH)
    assert result.returncode == 0
    assert result.stdout.startswith("import functools\n")
    assert "@app.route" in result.stdout
    assert lines(result.stderr) == ["0", "2 fixes in 1 file, 0 findings left"]


# --- --show-fixes ---------------------------------------------------------------------


def test_show_fixes_lists_the_fixes_made_in_each_file(tmp_path: Path) -> None:
    write(tmp_path, "app.py", BOTH)
    write(tmp_path, "deco.py", MISSING_WRAPS + "\n\n" + MISSING_WRAPS.replace("deco", "deco2"))
    write(tmp_path, "clean.py", "x = 1\n")
    plain = run_tool(TOOL, "--diff", ".", cwd=tmp_path)
    assert lines(plain.stderr) == ["4 fixes would be made in 2 files, 0 findings left"]
    would = run_tool(TOOL, "--diff", "--show-fixes", ".", cwd=tmp_path)
    assert would.stdout == plain.stdout
    assert lines(would.stderr) == [
        "would fix ./app.py: 1 x WRP001 (missing-wraps), 1 x WRP101 (decorator-above-route)",
        "would fix ./deco.py: 2 x WRP001 (missing-wraps)",
        "4 fixes would be made in 2 files, 0 findings left",
    ]
    fixed = run_tool(TOOL, "--fix", "--show-fixes", ".", cwd=tmp_path)
    assert fixed.returncode == 0
    assert lines(fixed.stderr) == [
        "fixed ./app.py: 1 x WRP001 (missing-wraps), 1 x WRP101 (decorator-above-route)",
        "fixed ./deco.py: 2 x WRP001 (missing-wraps)",
        "4 fixes in 2 files, 0 findings left",
    ]
    again = run_tool(TOOL, "--fix", "--show-fixes", ".", cwd=tmp_path)
    assert lines(again.stderr) == ["0 fixes in 0 files, 0 findings left"]


def test_show_fixes_from_the_config_and_with_stdin(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.flake8-wraps]\nshow-fixes = true\n")
    result = run_tool(TOOL, "--fix", "--stdin-filename=mod.py", "-", cwd=tmp_path, stdin=BOTH)
    assert result.returncode == 0
    assert "@functools.wraps(view)" in result.stdout
    assert lines(result.stderr) == [
        "fixed mod.py: 1 x WRP001 (missing-wraps), 1 x WRP101 (decorator-above-route)",
        "2 fixes in 1 file, 0 findings left",
    ]


def test_quiet_names_a_file_once_with_findings_known_only_at_the_end(tmp_path: Path) -> None:
    # views/users.py has a WRP102 of its own and two against views of app.py, which are
    # known once every module is read
    project = tmp_path / "split"
    shutil.copytree(FIXTURES / "projects" / "split_views", project)
    full = run_tool(TOOL, "--isolated", ".", cwd=project)
    assert [line.split(":")[0] for line in lines(full.stdout)] == [
        "./auth.py",
        *["./views/users.py"] * 3,
    ]
    quiet = run_tool(TOOL, "--isolated", "-q", ".", cwd=project)
    assert quiet.stdout == "./auth.py\n./views/users.py\n"
