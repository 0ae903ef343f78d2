"""A configuration that would silence the command says so.

A ``[flake8]`` section written for other plugins (``select = C4,E722,F``) turns every
WRP code off, in flake8 and in the command alike: the command reports nothing and
exits as flake8 does, with one notice line naming the file and the cure.  A value of
an option flake8 owns that the command cannot read (``ignore = E203, W503  # Black``)
is a warning naming the file and the option when the unreadable part concerns no WRP
code, and the run goes on; a bad ``wraps-*`` or ``[tool.flake8-wraps]`` value is an
error.  Each case is compared with the real flake8 where flake8 can run it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flake8.main.options import register_default_options
from flake8.options.manager import OptionManager

from flake8_wraps.command.config import FLAKE8_OWNED
from flake8_wraps.options import OPTIONS

from conftest import MISSING_WRAPS, lines, run_tool, write

TOOL = "flake8-wraps"
FINDING = "./deco.py:2:5: WRP001 "


def _wrp(output: str) -> list[str]:
    return [line for line in lines(output) if ": WRP" in line]


# --- every WRP code turned off ----------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    ["select = C4,E722,F", "ignore = W,E", "extend-ignore = W", "select = E\nignore = WRP1"],
)
def test_a_config_that_turns_every_code_off_gets_a_notice(tmp_path: Path, config: str) -> None:
    write(tmp_path, "deco.py", MISSING_WRAPS)
    config_file = write(tmp_path, "setup.cfg", f"[flake8]\n{config}\n")
    flake8 = run_tool("flake8", ".", cwd=tmp_path)
    assert (flake8.returncode, _wrp(flake8.stdout)) == (0, [])  # flake8 reports nothing
    command = run_tool(TOOL, ".", cwd=tmp_path)
    assert (command.returncode, command.stdout) == (0, "")
    [notice] = lines(command.stderr)
    assert notice.startswith(f"flake8-wraps: notice: {config_file}: "), notice
    assert "add extend-select = WRP to its [flake8] section" in notice
    # the cure works, in flake8 and in the command
    write(tmp_path, "setup.cfg", f"[flake8]\n{config}\nextend-select = WRP\n")
    cured = run_tool(TOOL, ".", cwd=tmp_path)
    assert (cured.returncode, cured.stderr) == (1, "")
    assert _wrp(cured.stdout) == _wrp(run_tool("flake8", ".", cwd=tmp_path).stdout)
    assert lines(cured.stdout)[0].startswith(FINDING)


def test_the_notice_names_a_pyproject_table_and_its_spelling(tmp_path: Path) -> None:
    write(tmp_path, "deco.py", MISSING_WRAPS)
    config_file = write(tmp_path, "pyproject.toml", '[tool.flake8-wraps]\nselect = ["E"]\n')
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert lines(result.stderr) == [
        f"flake8-wraps: notice: {config_file}: its select and ignore options turn off every "
        'WRP code, so nothing is reported; add extend-select = ["WRP"] to its '
        "[tool.flake8-wraps] table to report them"
    ]


@pytest.mark.parametrize(
    ("config", "flags"),
    [
        ("select = E,F,W,C90", ()),  # W selects WRP
        ("ignore = WRP", ()),  # the file names the codes it turns off
        ("ignore = WRP0,WRP1", ()),
        ("select = E,F", ("--extend-select=WRP",)),  # the flags bring them back
        ("select = E,F", ("--isolated",)),
        ("", ("--select=E",)),  # the command line alone
        ("select = WRP1", ("--ignore=WRP1",)),
    ],
)
def test_no_notice(tmp_path: Path, config: str, flags: tuple[str, ...]) -> None:
    write(tmp_path, "deco.py", MISSING_WRAPS)
    write(tmp_path, "setup.cfg", f"[flake8]\n{config}\n")
    result = run_tool(TOOL, *flags, ".", cwd=tmp_path)
    assert result.stderr == ""
    assert result.returncode in (0, 1)


# --- values the command cannot read ---------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "readable", "option", "left_out"),
    [
        ("ignore = E203, W503  # Black", "ignore = E203, W503", "ignore", "'#', 'Black'"),
        (
            "extend-ignore =\n  E203  # Black\n  W503",
            "extend-ignore = E203,W503",
            "extend-ignore",
            "'#', 'Black'",
        ),
        ("select = WRP1  # routes only", "select = WRP1", "select", "'#', 'routes', 'only'"),
        ("select = E,F # none of ours", "select = E,F", "select", "'#', 'none', 'of', 'ours'"),
    ],
)
def test_an_unreadable_part_that_concerns_no_wrp_code_is_a_warning(
    tmp_path: Path, config: str, readable: str, option: str, left_out: str
) -> None:
    write(tmp_path, "deco.py", MISSING_WRAPS)
    write(tmp_path, "app.py", MISSING_WRAPS.replace("deco", "app_deco"))
    config_file = write(tmp_path, "setup.cfg", f"[flake8]\n{config}\n")
    command = run_tool(TOOL, ".", cwd=tmp_path)
    warning, *rest = lines(command.stderr)
    assert warning.startswith(f"flake8-wraps: warning: {config_file}: option {option}: "), warning
    assert left_out in warning
    # the run goes on with what flake8 makes of the readable value
    write(tmp_path, "setup.cfg", f"[flake8]\n{readable}\n")
    flake8 = run_tool("flake8", ".", cwd=tmp_path)
    assert "Traceback" not in flake8.stderr
    assert _wrp(command.stdout) == _wrp(flake8.stdout)
    assert command.returncode == (1 if _wrp(flake8.stdout) else 0)
    # and the select that leaves no WRP code says so
    assert [line.split(": ")[1] for line in rest] == (["notice"] if "E,F" in config else [])


def test_flake8_itself_stops_on_a_comment_in_ignore(tmp_path: Path) -> None:
    write(tmp_path, "deco.py", MISSING_WRAPS)
    write(tmp_path, "setup.cfg", "[flake8]\nignore = E203, W503  # Black\n")
    flake8 = run_tool("flake8", ".", cwd=tmp_path)
    assert flake8.returncode != 0
    assert "Error code '#' supplied to 'ignore' option" in flake8.stderr
    command = run_tool(TOOL, ".", cwd=tmp_path)
    assert command.returncode == 1
    assert lines(command.stdout)[0].startswith(FINDING)


@pytest.mark.parametrize(
    ("setting", "option"),
    [
        ("count = maybe", "count"),
        ("show-source = sometimes", "show-source"),
        ("quiet = loud", "quiet"),
        ("per-file-ignores = deco.py:WRP001  # its tests", "per-file-ignores"),
        ("per-file-ignores = deco.py", "per-file-ignores"),
    ],
)
def test_an_unreadable_value_of_a_flake8_option_is_left_out_with_a_warning(
    tmp_path: Path, setting: str, option: str
) -> None:
    write(tmp_path, "deco.py", MISSING_WRAPS)
    config_file = write(tmp_path, "setup.cfg", f"[flake8]\n{setting}\n")
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1
    assert lines(result.stdout) == [line for line in lines(result.stdout) if ": WRP" in line]
    assert lines(result.stdout)[0].startswith(FINDING)
    [warning] = lines(result.stderr)
    assert warning.startswith(f"flake8-wraps: warning: {config_file}: option {option}: "), warning
    assert warning.endswith("; the option is left out")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("setup.cfg", "[flake8]\nextend-ignore = WRP-1\n", ("extend-ignore", "WRP-1")),
        ("setup.cfg", "[flake8]\nignore = E203, wrp001  # Black\n", ("ignore", "wrp001")),
        ("setup.cfg", "[flake8]\nselect = WRP_001\n", ("select", "WRP_001")),
        ("setup.cfg", "[flake8]\nwraps-equivalents = my-lib.keep\n", ("wraps-equivalents",)),
        ("setup.cfg", "[flake8]\nmax-file-size = big\n", ("max-file-size",)),
        ("setup.cfg", "[flake8]\nshow-fixes = maybe\n", ("show-fixes",)),
        ("pyproject.toml", '[tool.flake8-wraps]\nignore = ["E203 # Black"]\n', ("ignore",)),
        ("pyproject.toml", '[tool.flake8-wraps]\ncount = "maybe"\n', ("count",)),
    ],
)
def test_a_value_that_concerns_the_command_stays_an_error(
    tmp_path: Path, name: str, content: str, words: tuple[str, ...]
) -> None:
    write(tmp_path, "deco.py", MISSING_WRAPS)
    config_file = write(tmp_path, name, content)
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    [error] = lines(result.stderr)
    assert error.startswith(f"flake8-wraps: error: {config_file}: "), error
    for word in words:
        assert word in error


def test_the_options_left_to_flake8_are_those_flake8_reads_from_its_section() -> None:
    manager = OptionManager(version="", plugin_versions="", parents=[], formatter_names=[])
    register_default_options(manager)
    flake8_reads = set(manager.config_options_dict)
    ours = {option.name for option in OPTIONS if option.flake8_section}
    assert ours & flake8_reads == FLAKE8_OWNED
