"""The command's configuration: config files, flags, select/ignore and ``.gitignore``.

The command reads ``[tool.flake8-wraps]`` in ``pyproject.toml`` or the ``[flake8]``
section of ``.flake8``, ``setup.cfg`` or ``tox.ini`` (the options the flake8 plugin
reads, under the same names), found by walking up from the first path it is given;
flags win over the file.  Every test builds a small tree in ``tmp_path`` and runs
the installed console script through :func:`conftest.run_tool`; the select/ignore
table is checked in-process against flake8's own decision engine, and the
``.gitignore`` walk against ``git`` itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from flake8.style_guide import Decision, DecisionEngine

from flake8_wraps.command import config as settings_module
from flake8_wraps.registry import BY_CODE

from conftest import APPLIED, BOTH, lines, run_tool, write

TOOL = "flake8-wraps"

# --- sources -----------------------------------------------------------------------

# WRP001 at 2:5 (a safe fix: add @functools.wraps(f))
MISSING_WRAPS_WITH_FROM_IMPORT = (
    "from functools import wraps\n"
    "\n"
    "\n"
    "def deco(f):\n"
    "    @wraps(f)\n"
    "    def wrapper(*args, **kwargs):\n"
    "        return f(*args, **kwargs)\n"
    "    return wrapper\n"
) + APPLIED

# WRP101 at 4:1 only when ``api`` is configured as a route object
ROUTE_ON_API = """\
from myproj import api, login_required


@login_required
@api.post
def create():
    return 1
"""

# WRP001 at 6:5 unless ``mylib.keeps_metadata`` is configured as a wraps equivalent
DECORATED_DECORATOR = """\
import mylib


@mylib.keeps_metadata
def deco(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper
"""

# WRP101 at 7:1 unless ``docs.mark`` is allowed above a route
MARKER_ABOVE_ROUTE = """\
from flask import Flask
from myproj import docs

app = Flask(__name__)


@docs.mark
@app.route("/")
def index():
    return "hi"
"""

BOTH_ROUTE_FIXED = BOTH.replace(
    '@login_required\n@app.route("/admin")\n', '@app.route("/admin")\n@login_required\n'
)
BOTH_WRAPS_FIXED = BOTH.replace(
    "def login_required(view):\n", "def login_required(view):\n    @functools.wraps(view)\n"
)


# --- helpers -------------------------------------------------------------------------


FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>WRP\d{3}) ")


def found(result) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    """(path, line, column, code) of every text-format finding, sorted; stderr clean."""
    assert "Traceback" not in result.stderr, result.stderr
    out = []
    for line in lines(result.stdout):
        match = FINDING.match(line)
        assert match, line
        out.append((match["path"], int(match["line"]), int(match["col"]), match["code"]))
    return sorted(out)


def options_tree(root: Path) -> None:
    """One file per configurable behaviour (paths relative to ``root``)."""
    write(root, "deco.py")  # WRP001 2:5 always
    write(root, "route.py", ROUTE_ON_API)  # WRP101 4:1 with route objects = api
    write(root, "equiv.py", DECORATED_DECORATOR)  # WRP001 6:5 without the equivalent
    write(root, "marker.py", MARKER_ABOVE_ROUTE)  # WRP101 7:1 without the allowance


# what ``options_tree`` gives with no configuration, and with the three wraps-* options
UNCONFIGURED = [
    ("./deco.py", 2, 5, "WRP001"),
    ("./equiv.py", 6, 5, "WRP001"),
    ("./marker.py", 7, 1, "WRP101"),
]
CONFIGURED = [("./deco.py", 2, 5, "WRP001"), ("./route.py", 4, 1, "WRP101")]


def git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, timeout=60)


def assert_config_error(result, config: Path, cwd: Path, *words: str) -> str:  # type: ignore[no-untyped-def]
    """Exit 2, nothing on stdout, and exactly one stderr line naming the file and ``words``."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    errors = lines(result.stderr)
    assert len(errors) == 1, result.stderr
    line = errors[0]
    assert line.startswith("flake8-wraps: error: "), line
    names = {str(config), str(config.resolve()), os.path.relpath(config, cwd)}
    assert any(name in line for name in names), (line, names)
    for word in words:
        assert word in line, (word, line)
    return line


# --- pyproject.toml ------------------------------------------------------------------

PYPROJECT_VARIANTS = {
    "dashes_and_lists": (
        "[tool.flake8-wraps]\n"
        'wraps-route-objects = ["api"]\n'
        'wraps-equivalents = ["mylib.keeps_metadata", "other.copier"]\n'
        'wraps-allowed-above-route = ["docs.mark"]\n'
    ),
    "underscores_and_strings": (
        "[tool.flake8-wraps]\n"
        'wraps_route_objects = "api"\n'
        'wraps_equivalents = "mylib.keeps_metadata, other.copier"\n'
        'wraps_allowed_above_route = "docs.mark"\n'
    ),
    "mixed_with_other_tools": (
        "[project]\n"
        'name = "demo"\n'
        "\n"
        "[tool.ruff]\n"
        "line-length = 100\n"
        "\n"
        "[tool.flake8-wraps]\n"
        'wraps-route-objects = "api"\n'
        'wraps_equivalents = ["mylib.keeps_metadata"]\n'
        'wraps-allowed-above-route = ["docs.mark"]\n'
    ),
}


@pytest.mark.parametrize("variant", list(PYPROJECT_VARIANTS))
def test_pyproject_table_is_read(tmp_path: Path, variant: str) -> None:
    options_tree(tmp_path)
    write(tmp_path, "pyproject.toml", PYPROJECT_VARIANTS[variant])
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert found(result) == CONFIGURED
    isolated = run_tool(TOOL, "--isolated", ".", cwd=tmp_path)
    assert found(isolated) == UNCONFIGURED


def test_pyproject_list_values_for_codes_patterns_and_choices(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    write(tmp_path, "app.py", BOTH)
    write(tmp_path, "generated/gen.py")
    write(
        tmp_path,
        "pyproject.toml",
        "[tool.flake8-wraps]\n"
        'select = ["WRP0", "WRP1"]\n'
        'extend_ignore = ["WRP101"]\n'
        'extend-exclude = ["generated"]\n'
        'format = "github"\n',
    )
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [line.split("::")[1].split(",")[0] for line in lines(result.stdout)] == [
        "warning file=app.py",
        "warning file=deco.py",
    ]
    assert all(",title=WRP001 missing-wraps::" in line for line in lines(result.stdout))


# --- the [flake8] section of .flake8, setup.cfg and tox.ini ---------------------------

FLAKE8_SECTION = """\
[flake8]
# the usual flake8 options, which the command leaves alone
max-line-length = 100
max-complexity = 12
per-file-ignores =
    tests/*: E501
extend-ignore =
    # E203: whitespace before ':' (black)
    E203,
    W503
wraps-route-objects = api
wraps_equivalents =
    mylib.keeps_metadata
    other.copier
wraps-allowed-above-route = csrf.exempt, docs.mark
"""


@pytest.mark.parametrize("name", [".flake8", "setup.cfg", "tox.ini"])
def test_flake8_section_is_read_from_each_file(tmp_path: Path, name: str) -> None:
    options_tree(tmp_path)
    other_sections = "[metadata]\nname = demo\n\n[tool:pytest]\naddopts = -q\n\n"
    write(tmp_path, name, other_sections + FLAKE8_SECTION)
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert found(result) == CONFIGURED


# each option of the [flake8] section: (config lines, arguments, check of the result)
def _only(*codes: str):  # type: ignore[no-untyped-def]
    def check(result) -> None:  # type: ignore[no-untyped-def]
        assert result.returncode == (1 if codes else 0), result.stderr
        assert sorted({code for *_, code in found(result)}) == sorted(codes)

    return check


def _walked(*paths: str):  # type: ignore[no-untyped-def]
    def check(result) -> None:  # type: ignore[no-untyped-def]
        assert result.returncode == 1, result.stderr
        assert sorted({path for path, *_ in found(result)}) == sorted(paths)

    return check


def _github(result) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout)[0].startswith(
        "::warning file=app.py,line=9,col=5,endLine=9,endColumn=16,title=WRP001 missing-wraps::"
    ), result.stdout


def _json(result) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.stderr
    assert [(item["path"], item["code"]) for item in json.loads(result.stdout)] == [
        ("./app.py", "WRP001"),
        ("./app.py", "WRP101"),
    ]


def _from_import(result) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.stderr
    assert "+from functools import wraps\n" in result.stdout
    assert "+    @wraps(f)\n" in result.stdout
    assert "import functools" not in result.stdout


SECTION_OPTIONS = {
    "select": ("select = WRP1", (), _only("WRP101")),
    "ignore": ("ignore = WRP1", (), _only("WRP001")),
    "extend-select": ("select = WRP1\nextend-select = WRP001", (), _only("WRP001", "WRP101")),
    "extend-ignore": ("extend-ignore = WRP001", (), _only("WRP101")),
    "ignore_both": ("ignore = WRP001,WRP101", (), _only()),
    # exclude replaces the defaults: build/ is walked again
    "exclude": ("exclude = legacy", (), _walked("./api_pb2.py", "./app.py", "./build/b.py")),
    "extend-exclude": ("extend-exclude =\n  legacy,\n  *_pb2.py", (), _walked("./app.py")),
    "wraps-import-style": ("wraps-import-style = from", ("--diff", "lone.py"), _from_import),
}


@pytest.mark.parametrize("option", list(SECTION_OPTIONS))
def test_each_option_of_the_flake8_section(tmp_path: Path, option: str) -> None:
    config, args, check = SECTION_OPTIONS[option]
    if option in ("exclude", "extend-exclude"):
        write(tmp_path, "app.py", BOTH)
        write(tmp_path, "build/b.py")
        write(tmp_path, "legacy/old.py")
        write(tmp_path, "api_pb2.py")
    elif option == "wraps-import-style":
        write(tmp_path, "lone.py")
    else:
        write(tmp_path, "app.py", BOTH)
    write(tmp_path, "setup.cfg", f"[flake8]\n{config}\n")
    result = run_tool(TOOL, *(args or (".",)), cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    check(result)
    if option == "wraps-import-style":
        fixed = run_tool(TOOL, "--fix", "lone.py", cwd=tmp_path)
        assert fixed.returncode == 0, fixed.stderr
        assert (tmp_path / "lone.py").read_text() == MISSING_WRAPS_WITH_FROM_IMPORT


def test_exclude_path_patterns_are_relative_to_the_config_file(tmp_path: Path) -> None:
    # flake8 reads a pattern with a slash as a path relative to the config file's
    # folder (flake8's own docs use ``exclude = ...,docs/source/conf.py,...``); the
    # command reads the same [flake8] section, so it must skip the same files.
    write(tmp_path, "pkg/generated/gen.py")
    write(tmp_path, "pkg/other/mod.py")
    write(tmp_path, "docs/source/conf.py")
    write(
        tmp_path,
        "setup.cfg",
        "[flake8]\nextend-exclude =\n    pkg/generated,\n    docs/source/conf.py\n",
    )
    expected = [("./pkg/other/mod.py", 2, 5, "WRP001")]
    flake8 = run_tool("flake8", "--select=WRP", ".", cwd=tmp_path)
    assert found(flake8) == expected  # what flake8 itself does with this file
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert found(result) == expected
    # and from a subfolder, where the config is found by walking up
    below = run_tool(TOOL, "..", cwd=tmp_path / "pkg")
    assert found(below) == [("../pkg/other/mod.py", 2, 5, "WRP001")]


# --- where the config file is found ---------------------------------------------------


def test_config_in_a_parent_folder_applies_to_a_subfolder_path(tmp_path: Path) -> None:
    write(tmp_path, "pkg/sub/deco.py")
    write(tmp_path, "pkg/sub/route.py", ROUTE_ON_API)
    write(tmp_path, ".flake8", "[flake8]\nextend-ignore = WRP001\nwraps-route-objects = api\n")
    for args, cwd, prefix in (
        (("pkg/sub",), tmp_path, "pkg/sub/"),
        (("pkg/sub/route.py", "pkg/sub/deco.py"), tmp_path, "pkg/sub/"),
        ((".",), tmp_path / "pkg" / "sub", "./"),
        ((), tmp_path / "pkg", "./sub/"),
    ):
        result = run_tool(TOOL, *args, cwd=cwd)
        assert result.returncode == 1, (args, result.stderr)
        assert found(result) == [(f"{prefix}route.py", 4, 1, "WRP101")], args


def test_the_nearest_config_wins_and_is_not_merged_with_farther_ones(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.flake8-wraps]\nwraps-route-objects = ["api"]\n')
    write(tmp_path, "pkg/tox.ini", "[flake8]\nextend-ignore = WRP001\n")
    write(tmp_path, "pkg/deco.py")
    write(tmp_path, "pkg/route.py", ROUTE_ON_API)
    # from pkg: tox.ini wins; the parent's route objects do not apply
    near = run_tool(TOOL, "pkg", cwd=tmp_path)
    assert (near.returncode, near.stdout, near.stderr) == (0, "", "")
    # from the root: pyproject.toml applies to the whole run, pkg/tox.ini to nothing
    far = run_tool(TOOL, ".", cwd=tmp_path)
    assert far.returncode == 1, far.stderr
    assert found(far) == [("./pkg/deco.py", 2, 5, "WRP001"), ("./pkg/route.py", 4, 1, "WRP101")]


def test_files_without_a_section_for_the_command_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, ".flake8", "[flake8]\nextend-ignore = WRP001\n")
    write(tmp_path, "pkg/setup.cfg", "[metadata]\nname = demo\n\n[tool:pytest]\naddopts = -q\n")
    write(
        tmp_path,
        "pkg/pyproject.toml",
        '[project]\nname = "demo"\n\n[tool.ruff]\nline-length = 99\n',
    )
    write(tmp_path, "pkg/tox.ini", "[tox]\nenv_list = py311\n")
    write(tmp_path, "pkg/deco.py")
    result = run_tool(TOOL, "pkg", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_first_path_decides_which_config_applies(tmp_path: Path) -> None:
    write(tmp_path, "a/.flake8", "[flake8]\nextend-ignore = WRP001\n")
    write(tmp_path, "a/x.py")
    write(tmp_path, "b/y.py")
    first_a = run_tool(TOOL, "a/x.py", "b/y.py", cwd=tmp_path)
    assert (first_a.returncode, first_a.stdout, first_a.stderr) == (0, "", "")
    first_b = run_tool(TOOL, "b/y.py", "a/x.py", cwd=tmp_path)
    assert found(first_b) == [("a/x.py", 2, 5, "WRP001"), ("b/y.py", 2, 5, "WRP001")]


# --- flags, --config, --isolated ------------------------------------------------------


def test_command_line_flags_override_the_file(tmp_path: Path) -> None:
    options_tree(tmp_path)
    write(
        tmp_path,
        "pyproject.toml",
        "[tool.flake8-wraps]\n"
        'select = ["WRP1"]\n'
        'format = "json"\n'
        'wraps-route-objects = ["api"]\n'
        'wraps-allowed-above-route = ["docs.mark"]\n',
    )
    from_file = run_tool(TOOL, ".", cwd=tmp_path)
    assert from_file.returncode == 1, from_file.stderr
    assert from_file.stdout.startswith("[")  # json, from the file
    result = run_tool(
        TOOL,
        "--select=WRP",
        "--format=text",
        "--wraps-route-objects=router",
        "--wraps-allowed-above-route=csrf.exempt",
        ".",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert found(result) == UNCONFIGURED


def test_config_flag_reads_that_file_only(tmp_path: Path) -> None:
    options_tree(tmp_path)
    write(tmp_path, ".flake8", "[flake8]\nextend-ignore = WRP001\n")  # would hide WRP001
    write(
        tmp_path,
        "ci/lint.cfg",
        "[flake8]\nwraps-route-objects = api\nwraps-equivalents = mylib.keeps_metadata\n"
        "wraps-allowed-above-route = docs.mark\n",
    )
    write(
        tmp_path,
        "ci/pyproject.toml",
        '[tool.flake8-wraps]\nextend-select = ["WRP"]\n'
        'wraps-route-objects = ["api"]\nwraps-equivalents = ["mylib.keeps_metadata"]\n'
        'wraps-allowed-above-route = ["docs.mark"]\n',
    )
    for config in ("ci/lint.cfg", "ci/pyproject.toml", str(tmp_path / "ci" / "lint.cfg")):
        result = run_tool(TOOL, "--config", config, ".", cwd=tmp_path)
        assert result.returncode == 1, (config, result.stderr)
        assert found(result) == CONFIGURED, config


def test_config_flag_with_a_missing_file_is_one_error_line(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    result = run_tool(TOOL, "--config", "nowhere.cfg", ".", cwd=tmp_path)
    assert_config_error(result, tmp_path / "nowhere.cfg", tmp_path)


def test_isolated_ignores_config_files(tmp_path: Path) -> None:
    options_tree(tmp_path)
    write(tmp_path, ".flake8", "[flake8]\nextend-ignore = WRP001\nwraps-route-objects = api\n")
    configured = run_tool(TOOL, ".", cwd=tmp_path)
    assert found(configured) == [("./marker.py", 7, 1, "WRP101"), ("./route.py", 4, 1, "WRP101")]
    isolated = run_tool(TOOL, "--isolated", ".", cwd=tmp_path)
    assert isolated.returncode == 1, isolated.stderr
    assert found(isolated) == UNCONFIGURED
    # flags still apply, and a broken file is not even read
    write(tmp_path, "pyproject.toml", "[tool.flake8-wraps\n")
    flags = run_tool(TOOL, "--isolated", "--extend-ignore=WRP1", ".", cwd=tmp_path)
    assert flags.returncode == 1, flags.stderr
    assert flags.stderr == ""
    assert found(flags) == [("./deco.py", 2, 5, "WRP001"), ("./equiv.py", 6, 5, "WRP001")]


# --- bad configuration ----------------------------------------------------------------

# name -> (config file, content, words the one error line must hold)
BAD_CONFIGS = {
    "not_a_name_in_setup_cfg": (
        "setup.cfg",
        "[flake8]\nwraps-route-objects = api, not-a-name\n",
        ("wraps-route-objects", "not-a-name"),
    ),
    "not_a_name_in_pyproject_list": (
        "pyproject.toml",
        '[tool.flake8-wraps]\nwraps-equivalents = ["ok.name", "my-lib.keep"]\n',
        ("wraps-equivalents", "my-lib.keep"),
    ),
    "unknown_key_in_pyproject": (
        "pyproject.toml",
        '[tool.flake8-wraps]\nwraps-route-object = ["api"]\n',
        ("wraps-route-object",),
    ),
    "format_xml": ("pyproject.toml", '[tool.flake8-wraps]\nformat = "xml"\n', ("format", "xml")),
    "format_xml_in_pyproject": (
        "pyproject.toml",
        '[tool.flake8-wraps]\nformat = "xml"\n',
        ("format", "xml"),
    ),
    "import_style_in_tox_ini": (
        "tox.ini",
        "[flake8]\nwraps-import-style = relative\n",
        ("wraps-import-style", "relative"),
    ),
    "bad_code_in_setup_cfg": ("setup.cfg", "[flake8]\nextend-ignore = WRP-1\n", ("extend-ignore",)),
    "select_not_a_string": ("pyproject.toml", "[tool.flake8-wraps]\nselect = 1\n", ("select",)),
    "format_not_a_string": (
        "pyproject.toml",
        '[tool.flake8-wraps]\nformat = ["json"]\n',
        ("format",),
    ),
    "table_not_a_table": ("pyproject.toml", "[tool]\nflake8-wraps = 1\n", ("flake8-wraps",)),
    "baseline_not_a_path": (
        "pyproject.toml",
        '[tool.flake8-wraps]\nbaseline = ["a.json", "b.json"]\n',
        ("baseline", "expected the path of a file"),
    ),
    "broken_toml": ("pyproject.toml", '[tool.flake8-wraps\nformat = "json"\n', ()),
    "broken_toml_value": ("pyproject.toml", "[tool.flake8-wraps]\nformat = json\n", ()),
    "no_section_header": (".flake8", "extend-ignore = WRP001\n[flake8]\n", ()),
    "duplicate_option": ("setup.cfg", "[flake8]\nignore = W\nignore = E\n", ("ignore",)),
    # a pyproject.toml whose ``tool`` is not a table is valid TOML, just not ours
    "tool_not_a_table": ("pyproject.toml", 'tool = "x"\n', ()),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_bad_config_is_one_error_line_naming_the_option_and_the_file(
    tmp_path: Path, case: str
) -> None:
    name, content, words = BAD_CONFIGS[case]
    write(tmp_path, "pkg/deco.py")
    config = write(tmp_path, name, content)
    result = run_tool(TOOL, "pkg", cwd=tmp_path)
    assert_config_error(result, config, tmp_path, *words)


def test_bad_config_given_with_config_flag_is_one_error_line(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    config = write(tmp_path, "ci/lint.cfg", "[flake8]\nwraps-route-objects = not-a-name\n")
    result = run_tool(TOOL, "--config", "ci/lint.cfg", ".", cwd=tmp_path)
    assert_config_error(result, config, tmp_path, "wraps-route-objects", "not-a-name")


def test_bad_flag_value_names_the_flag(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    for flag, words in (
        ("--format=xml", ("--format", "xml")),
        ("--select=wrp", ("--select", "wrp")),
        ("--wraps-import-style=relative", ("--wraps-import-style",)),
    ):
        result = run_tool(TOOL, flag, ".", cwd=tmp_path)
        assert result.returncode == 2, flag
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert len(lines(result.stderr)) == 1, result.stderr
        for word in words:
            assert word in result.stderr, (flag, result.stderr)


# --- select / ignore: flake8's prefix rules ---------------------------------------------

# flake8's built-in plugins plus this plugin's entry point (what flake8 selects by default)
FLAKE8_DEFAULT_SELECT = ["C90", "F", "E", "W", "WRP"]

SELECT_CASES = [
    {},
    {"select": "WRP1"},
    {"ignore": "WRP1"},
    {"extend-ignore": "WRP001"},
    {"select": "WRP", "ignore": "WRP"},  # a tie: ignore wins
    {"select": "WRP001", "ignore": "WRP"},  # the longer prefix wins
    {"select": "WRP0", "ignore": "WRP00"},
    {"select": "WRP1", "extend-select": "WRP001"},
    {"select": "E,W,F"},  # W is a prefix of WRP
    {"select": "W", "ignore": "WRP0"},
    {"ignore": "W"},  # silences every WRP code, as in flake8
    {"extend-ignore": "W"},
    {"ignore": "WR"},
    {"ignore": "W", "extend-select": "WRP"},  # brings them back
    {"ignore": "W", "extend-select": "WRP1"},
    {"extend-ignore": "W503,W504,E203"},
]


def _flake8_selected(case: dict[str, str]) -> set[str]:
    def given(key: str) -> list[str] | None:
        value = case.get(key)
        return None if value is None else [part.strip() for part in value.split(",")]

    options = argparse.Namespace(
        select=given("select"),
        ignore=given("ignore"),
        extend_select=given("extend-select"),
        extend_ignore=given("extend-ignore"),
        extended_default_select=FLAKE8_DEFAULT_SELECT,
        extended_default_ignore=[],
    )
    engine = DecisionEngine(options)
    return {code for code in BY_CODE if engine.decision_for(code) is Decision.Selected}


@pytest.mark.parametrize("case", SELECT_CASES, ids=lambda case: repr(case) if case else "none")
def test_select_and_ignore_decide_as_flake8_does(case: dict[str, str]) -> None:
    settings = settings_module.load([], None, True, case)
    options = settings.options(BY_CODE)
    reported = {code for code in BY_CODE if code not in options.disabled}
    assert reported == _flake8_selected(case)


def test_ignore_w_in_the_config_silences_wrp_and_extend_select_brings_it_back(
    tmp_path: Path,
) -> None:
    write(tmp_path, "app.py", BOTH)
    config = write(tmp_path, ".flake8", "[flake8]\nignore = W,E\n")
    silenced = run_tool(TOOL, ".", cwd=tmp_path)
    assert (silenced.returncode, silenced.stdout) == (0, "")
    # as in flake8, nothing is reported; the command says why
    assert lines(silenced.stderr) == [
        f"flake8-wraps: notice: {config}: its select and ignore options turn off every WRP "
        "code, so nothing is reported; add extend-select = WRP to its [flake8] section to "
        "report them"
    ]
    write(tmp_path, ".flake8", "[flake8]\nignore = W,E\nextend-select = WRP\n")
    back = run_tool(TOOL, ".", cwd=tmp_path)
    assert back.returncode == 1, back.stderr
    assert found(back) == [("./app.py", 9, 5, "WRP001"), ("./app.py", 15, 1, "WRP101")]


def test_longest_prefix_wins_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, "app.py", BOTH)
    result = run_tool(TOOL, "--ignore=WRP", "--extend-select=WRP001", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert found(result) == [("./app.py", 9, 5, "WRP001")]
    tie = run_tool(TOOL, "--select=WRP001", "--ignore=WRP001", ".", cwd=tmp_path)
    assert (tie.returncode, tie.stdout, tie.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (("--extend-ignore=WRP001",), BOTH_ROUTE_FIXED),
        (("--ignore=WRP1",), BOTH_WRAPS_FIXED),
        (("--config", "ci.cfg"), BOTH_ROUTE_FIXED),  # ci.cfg ignores WRP001
    ],
)
def test_ignored_codes_are_neither_reported_nor_fixed(
    tmp_path: Path, how: tuple[str, ...], expected: str
) -> None:
    path = write(tmp_path, "app.py", BOTH)
    write(tmp_path, "ci.cfg", "[flake8]\nextend-ignore = WRP001\n")
    diff = run_tool(TOOL, "--diff", *how, "app.py", cwd=tmp_path)
    assert diff.returncode == 1, diff.stderr
    assert lines(diff.stderr) == ["1 fix would be made in 1 file, 0 findings left"]
    result = run_tool(TOOL, "--fix", *how, "app.py", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert lines(result.stderr) == ["1 fix in 1 file, 0 findings left"]
    assert path.read_text(encoding="utf-8") == expected
    # an ignored finding with a fix is not fixed by --unsafe-fixes either
    again = run_tool(TOOL, "--fix", "--unsafe-fixes", *how, "app.py", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert path.read_text(encoding="utf-8") == expected


# --- .gitignore -------------------------------------------------------------------------


def test_root_gitignore_is_honoured_when_walking(tmp_path: Path) -> None:
    git_init(tmp_path)
    write(tmp_path, ".gitignore", "# generated code\n*_gen.py\ngenerated/\n/out/\n")
    for relative in (
        "top.py",
        "top_gen.py",
        "pkg/mod.py",
        "pkg/mod_gen.py",
        "pkg/generated/a.py",
        "generated/b.py",
        "out/c.py",
        "pkg/out/d.py",  # /out/ is anchored at the root: this one is checked
    ):
        write(tmp_path, relative)
    expected = ["./pkg/mod.py", "./pkg/out/d.py", "./top.py"]
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [path for path, *_ in found(result)] == expected
    # walking a subfolder, or from a subfolder, still reads the root's .gitignore
    sub = run_tool(TOOL, "pkg", cwd=tmp_path)
    assert [path for path, *_ in found(sub)] == ["pkg/mod.py", "pkg/out/d.py"]
    inside = run_tool(TOOL, cwd=tmp_path / "pkg")
    assert [path for path, *_ in found(inside)] == ["./mod.py", "./out/d.py"]


def test_subfolder_gitignore_applies_below_it_with_negation(tmp_path: Path) -> None:
    git_init(tmp_path)
    write(tmp_path, "src/.gitignore", "*.py\n!keep.py\ncache/\n/local.py\n")
    for relative in (
        "top.py",
        "src/drop.py",
        "src/keep.py",
        "src/cache/keep.py",  # inside an ignored folder: a negation can't bring it back
        "src/local.py",
        "other/local.py",  # src/.gitignore does not apply here
    ):
        write(tmp_path, relative)
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [path for path, *_ in found(result)] == ["./other/local.py", "./src/keep.py", "./top.py"]


def test_negation_in_a_subfolder_gitignore_overrides_the_root(tmp_path: Path) -> None:
    # git: a deeper .gitignore takes precedence over a higher one, so
    # ``!keep_gen.py`` in sub/.gitignore re-includes what ``*_gen.py`` excluded
    git_init(tmp_path)
    write(tmp_path, ".gitignore", "*_gen.py\n")
    write(tmp_path, "sub/.gitignore", "!keep_gen.py\n")
    write(tmp_path, "sub/keep_gen.py")
    write(tmp_path, "sub/drop_gen.py")
    check = subprocess.run(
        ["git", "check-ignore", "-q", "sub/keep_gen.py"], cwd=tmp_path, timeout=60
    )
    assert check.returncode == 1  # git: not ignored
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [path for path, *_ in found(result)] == ["./sub/keep_gen.py"]


def test_walk_matches_git_on_a_larger_tree(tmp_path: Path) -> None:
    git_init(tmp_path)
    write(
        tmp_path,
        ".gitignore",
        "# comment\n*_gen.py\n/tmp/\nlib/tmp\n**/migrations/\n/anch\nkeep/*\n!keep/k2.py\n"
        "\\#hash.py\n",
    )
    write(tmp_path, "app/.gitignore", "cache/\n/views.py\n")
    write(tmp_path, "lib/.gitignore", "deep/*.py\n!deep/y.py\n")
    for relative in (
        "a.py",
        "b_gen.py",
        "#hash.py",
        "docs/conf.py",
        "lib/x.py",
        "lib/deep/y.py",
        "lib/deep/z.py",
        "lib/tmp/t.py",
        "tmp/t.py",
        "nested/lib/tmp/n.py",
        "nested/tmp/n.py",
        "app/migrations/0001.py",
        "app/views.py",
        "app/sub/views.py",
        "app/cache/c.py",
        "keep/k1.py",
        "keep/k2.py",
        "sp ace/s.py",
        "anch/r.py",
        "sub/anch/r.py",
    ):
        write(tmp_path, relative)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", "*.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    expected = sorted(line.strip('"') for line in lines(listed.stdout))
    assert expected == [  # git's answer, spelled out
        "a.py",
        "app/sub/views.py",
        "docs/conf.py",
        "keep/k2.py",
        "lib/deep/y.py",
        "lib/x.py",
        "nested/lib/tmp/n.py",
        "nested/tmp/n.py",
        "sp ace/s.py",
        "sub/anch/r.py",
    ]
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert sorted(path[2:] for path, *_ in found(result)) == expected


def test_explicit_file_is_checked_even_if_gitignored(tmp_path: Path) -> None:
    git_init(tmp_path)
    write(tmp_path, ".gitignore", "generated/\n*_gen.py\n")
    write(tmp_path, "generated/a.py")
    write(tmp_path, "b_gen.py")
    walked = run_tool(TOOL, ".", cwd=tmp_path)
    assert (walked.returncode, walked.stdout, walked.stderr) == (0, "", "")
    explicit = run_tool(TOOL, "generated/a.py", "b_gen.py", cwd=tmp_path)
    assert explicit.returncode == 1, explicit.stderr
    assert found(explicit) == [("b_gen.py", 2, 5, "WRP001"), ("generated/a.py", 2, 5, "WRP001")]


def test_no_gitignore_checks_everything(tmp_path: Path) -> None:
    git_init(tmp_path)
    write(tmp_path, ".gitignore", "generated/\n*_gen.py\n")
    write(tmp_path, "sub/.gitignore", "*.py\n")
    write(tmp_path, "generated/a.py")
    write(tmp_path, "b_gen.py")
    write(tmp_path, "sub/c.py")
    write(tmp_path, "build/d.py")  # a default exclude still applies
    result = run_tool(TOOL, "--no-gitignore", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [path for path, *_ in found(result)] == ["./b_gen.py", "./generated/a.py", "./sub/c.py"]


def test_flake8_own_format_option_is_left_to_flake8(tmp_path: Path) -> None:
    # in [flake8], ``format`` is flake8's output template (pylint, default, ...)
    write(tmp_path, "deco.py")
    write(tmp_path, "setup.cfg", "[flake8]\nformat = pylint\n")
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("./deco.py:2:5: WRP001 ")
