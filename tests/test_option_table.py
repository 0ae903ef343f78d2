"""Every option of the table works the same wherever it may be written.

Each option has a scenario: a small tree, a value, and what the command reports with
that value.  The value is written in turn as a command flag, in ``[tool.flake8-wraps]``,
in ``[flake8]`` (unless flake8 owns the name) and, for the options the analysis reads,
as a flake8 flag and in ``[flake8]`` read by the real flake8.  Each place must give the
scenario's findings, and those differ from the findings without the option, so a
place that ignored the value would fail.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from flake8_wraps.command import cli
from flake8_wraps.options import BY_NAME, FILE_CODES, OPTIONS, SWITCH, TIMES, Option

from conftest import ROOT, run_tool, write

DECORATORS = """\
from flask import Flask
from mylib import preserve
from myproj import api, docs, login_required

app = Flask(__name__)


def timeit(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    preserve(wrapper)
    return wrapper


def plain(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


@login_required
@api.post
def create():
    return 1


@docs.mark
@app.route("/")
def index():
    return "hi"


@timeit
@plain
def job():
    return 2
"""
# without options: 9:5 WRP001 (timeit), 16:5 WRP001 (plain), 27:1 WRP101 (docs.mark)
PLAIN = {("mod.py", 9, "WRP001"), ("mod.py", 16, "WRP001"), ("mod.py", 27, "WRP101")}


DROPS_RESULT = """\
import functools


def log_calls(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        func(*args, **kwargs)
    return wrapper
"""
VIEWS = """\
from decos import log_calls


def load():
    return 1


@log_calls
def loaded():
    return load()
"""

THREE_FOLDERS = ("mod.py", "skipped/mod.py", "build/mod.py")

ACCEPTED = json.dumps(
    {
        "version": 1,
        "findings": [
            {"code": "WRP101", "path": "mod.py", "scope": "", "text": "@docs.mark", "count": 1}
        ],
    }
)


def _in(path: str) -> set[tuple[str, int, str]]:
    return {(path, line, code) for _, line, code in PLAIN}


@dataclass(frozen=True)
class Scenario:
    value: str
    expected: frozenset[tuple[str, int, str]]  # (path, line, code) of each finding
    flags: tuple[str, ...] = ()  # other flags the scenario needs, always on the command line
    files: tuple[str, ...] = ("mod.py",)
    big: tuple[str, ...] = ()  # files padded to 4K
    extra: tuple[tuple[str, str], ...] = ()  # other files and their content
    checked: str = "mod.py"  # the file flake8 is given
    stream: str = "out"  # where the command prints what the option changes


SCENARIOS: dict[str, Scenario] = {
    "select": Scenario("WRP101", frozenset({("mod.py", 27, "WRP101")})),
    "ignore": Scenario("WRP001", frozenset({("mod.py", 27, "WRP101")})),
    "extend-select": Scenario(
        "WRP001",
        frozenset({("mod.py", 9, "WRP001"), ("mod.py", 16, "WRP001")}),
        flags=("--ignore=WRP",),
    ),
    "extend-ignore": Scenario("WRP101", frozenset(PLAIN - {("mod.py", 27, "WRP101")})),
    # exclude replaces the default list (which skips build/), extend-exclude adds to it
    "exclude": Scenario("skipped", frozenset({*PLAIN, *_in("build/mod.py")}), files=THREE_FOLDERS),
    "extend-exclude": Scenario("skipped", frozenset(PLAIN), files=THREE_FOLDERS),
    "format": Scenario("json", frozenset(PLAIN)),
    # the larger file is not read: one error line, and the other file's findings
    "max-file-size": Scenario("2K", frozenset(PLAIN), files=("mod.py",), big=("big/mod.py",)),
    "wraps-equivalents": Scenario("mylib.preserve", frozenset(PLAIN - {("mod.py", 9, "WRP001")})),
    "wraps-route-objects": Scenario("api", frozenset({*PLAIN, ("mod.py", 21, "WRP101")})),
    "wraps-allowed-above-route": Scenario(
        "docs.mark", frozenset(PLAIN - {("mod.py", 27, "WRP101")})
    ),
    # with --diff, the import lines the fixes add
    # views.py imports its decorator from a folder found only through the option
    "wraps-source-roots": Scenario(
        "vendor",
        frozenset({*PLAIN, ("views.py", 8, "WRP006")}),
        extra=(("vendor/decos.py", DROPS_RESULT), ("views.py", VIEWS)),
        checked="views.py",
    ),
    "wraps-import-style": Scenario(
        "from", frozenset({("diff", 0, "+from functools import wraps")}), flags=("--diff",)
    ),
    # the lines other than findings, by their first three words
    "count": Scenario("true", frozenset({*PLAIN, ("", 0, "3")})),
    "statistics": Scenario(
        "true",
        frozenset({*PLAIN, ("", 0, "2 WRP001 decorator"), ("", 0, "1 WRP101 '@docs.mark'")}),
    ),
    "show-source": Scenario(
        "true",
        frozenset(
            {*PLAIN, ("", 0, "def wrapper(*args, **kwargs):"), ("", 0, "^"), ("", 0, "@docs.mark")}
        ),
    ),
    "quiet": Scenario("1", frozenset({("", 0, "mod.py")})),
    # on stderr, before the summary
    "show-fixes": Scenario(
        "true",
        frozenset({("", 0, "would fix mod.py:"), ("", 0, "3 fixes would")}),
        flags=("--diff",),
        stream="err",
    ),
    "per-file-ignores": Scenario("mod.py:WRP001", frozenset({("mod.py", 27, "WRP101")})),
    # a baseline holding the WRP101 finding (paths are relative to the baseline's folder)
    "baseline": Scenario(
        "accepted.json",
        frozenset(PLAIN - {("mod.py", 27, "WRP101")}),
        extra=(("accepted.json", ACCEPTED),),
    ),
}


FINDING = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):\d+: (?P<code>WRP\d+) ")


def _findings(output: str) -> frozenset[tuple[str, int, str]]:
    """(path, line, code) from text or JSON output; for a diff, its added import lines;
    any other line as ("", 0, its first three words)."""
    if output.startswith("["):
        return frozenset((i["path"], i["line"], i["code"]) for i in json.loads(output))
    if output.startswith("---"):
        added = [line for line in output.splitlines() if re.match(r"^\+(from|import) ", line)]
        return frozenset(("diff", 0, line) for line in added)
    found = set()
    for line in output.splitlines():
        match = FINDING.match(line)
        if match:
            found.add((match["path"].replace("\\", "/"), int(match["line"]), match["code"]))
        else:
            found.add(("", 0, " ".join(line.split()[:3])))
    return frozenset(found)


def _tree(tmp_path: Path, scenario: Scenario) -> Path:
    for name in scenario.files:
        write(tmp_path, name, DECORATORS)
    for name in scenario.big:
        write(tmp_path, name, DECORATORS + "#" * 4096 + "\n")
    for name, content in scenario.extra:
        write(tmp_path, name, content)
    return tmp_path


def _command(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cwd: Path,
    *args: str,
    stream: str = "out",
) -> frozenset[tuple[str, int, str]]:
    monkeypatch.chdir(cwd)
    status = cli.main(["-j", "1", *args, "."])
    captured = capsys.readouterr()
    assert status in (0, 1) or (
        status == 2
        and captured.err == "./big/mod.py: error: larger than max-file-size (2K); not read\n"
    ), captured.err
    shown = captured.err if stream == "err" else captured.out
    return _findings(shown.replace("./", ""))


def _toml_value(option: Option[object], value: str) -> str:
    if option.kind == FILE_CODES:  # one pattern and its codes: an inline table
        pattern, codes = value.split(":")
        return f"{{{json.dumps(pattern)} = {json.dumps(codes.split(','))}}}"
    if option.kind in (SWITCH, TIMES):
        return value  # true, or a number
    if option.kind in ("choice", "size", "path"):
        return json.dumps(value)
    return json.dumps(value.split(","))


def _flags(option: Option[object], value: str) -> list[str]:
    if option.kind == SWITCH:
        return [option.flag] if value == "true" else [f"--no-{option.name}"]
    if option.kind == TIMES:
        return [option.flag] * int(value)
    return [f"{option.flag}={value}"]


def _places(option: Option[object]) -> list[str]:
    places = ["command flag", "[tool.flake8-wraps]"]
    if option.flake8_section:
        places.append("[flake8] for the command")
    return places


CASES = [(name, place) for name in SCENARIOS for place in _places(BY_NAME[name])]


def test_every_option_has_a_scenario() -> None:
    assert list(SCENARIOS) == [option.name for option in OPTIONS]


@pytest.mark.parametrize(("name", "place"), CASES, ids=[f"{n} {p}" for n, p in CASES])
def test_the_command_reads_the_option_in_every_place(
    name: str,
    place: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    option = BY_NAME[name]
    scenario = SCENARIOS[name]
    root = _tree(tmp_path, scenario)
    flags, stream = scenario.flags, scenario.stream
    without = _command(monkeypatch, capsys, root, *flags, stream=stream)
    if place == "command flag":
        value_flags = _flags(option, scenario.value)
        got = _command(monkeypatch, capsys, root, *flags, *value_flags, stream=stream)
    elif place == "[tool.flake8-wraps]":
        write(
            root,
            "pyproject.toml",
            f"[tool.flake8-wraps]\n{name} = {_toml_value(option, scenario.value)}\n",
        )
        got = _command(monkeypatch, capsys, root, *flags, stream=stream)
    else:
        write(root, "setup.cfg", f"[flake8]\n{name} = {scenario.value}\n")
        got = _command(monkeypatch, capsys, root, *flags, stream=stream)
    assert got == scenario.expected
    if name != "format":  # the same findings, printed another way
        assert without != scenario.expected


def test_flake8_owns_its_own_format_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``format`` in ``[flake8]`` is flake8's output template, so the command leaves it."""
    root = _tree(tmp_path, SCENARIOS["format"])
    write(root, "setup.cfg", "[flake8]\nformat = json\n")
    assert _command(monkeypatch, capsys, root) == frozenset(PLAIN)
    monkeypatch.chdir(root)
    cli.main(["-j", "1", "."])
    assert not capsys.readouterr().out.startswith("[")


ANALYSIS = [option.name for option in OPTIONS if option.analysis]


@pytest.mark.parametrize("name", ANALYSIS)
@pytest.mark.parametrize("place", ["flake8 flag", "[flake8] for flake8"])
def test_flake8_reads_the_analysis_options_in_both_places(
    name: str, place: str, tmp_path: Path
) -> None:
    option = BY_NAME[name]
    scenario = SCENARIOS[name]
    root = _tree(tmp_path, scenario)
    base = ("flake8", "--select=WRP", "-j", "1")
    checked = scenario.checked
    expected = frozenset(f for f in scenario.expected if f[0] == checked)
    without = run_tool(*base, checked, cwd=root)
    if place == "flake8 flag":
        result = run_tool(*base, f"{option.flag}={scenario.value}", checked, cwd=root)
    else:
        write(root, "setup.cfg", f"[flake8]\n{name} = {scenario.value}\n")
        result = run_tool(*base, checked, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    assert _findings(result.stdout) == expected
    assert _findings(without.stdout) != expected


def test_flake8_registers_exactly_the_analysis_options() -> None:
    result = run_tool("flake8", "--help", cwd=ROOT)
    registered = sorted(set(re.findall(r"--(wraps-[a-z-]+)", result.stdout)))
    assert registered == sorted(ANALYSIS)


def test_every_option_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"\| option \| default \| meaning \|\n((?:\|.*\n)+)", readme)
    assert table is not None
    documented = " ".join(re.findall(r"^\| ([^|]+) \|", table.group(1), re.M))
    for option in OPTIONS:
        assert f"`{option.name}`" in documented, option.name
