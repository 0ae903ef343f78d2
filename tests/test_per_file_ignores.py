"""``per-file-ignores`` in the command is flake8's: the same syntax (compared with
flake8's own parser), the same files matched and the same codes silenced (compared
with the real flake8 on one tree and config), in check and fix modes, from
``[flake8]``, from a ``[tool.flake8-wraps.per-file-ignores]`` table and as a flag."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flake8.exceptions import ExecutionError
from flake8.utils import parse_files_to_codes_mapping

from flake8_wraps.options import PER_FILE_IGNORES, OptionError

from conftest import BOTH, FIXTURES, MISSING_WRAPS, lines, run_tool, write

TOOL = "flake8-wraps"


FILES = ("a.py", "pkg/b.py", "pkg/sub/c.py", "tests/test_x.py")


def _tree(root: Path) -> None:
    for name in FILES:
        write(root, name, BOTH)


# --- the syntax ------------------------------------------------------------------------

TEXTS = [
    "",
    "  ",
    "tests/*:WRP001",
    "a.py,b.py:WRP001,E501 c.py:W",
    "a.py:\n  WRP001\n  E501\nb.py: F",
    "\n  tests/*.py: E501, W503\n  src/legacy/*: WRP\n",
    "a.py : WRP001",
    "a.py:WRP001,",
    "a.py :WRP001 , E1 b.py:E2",
    "a.py: b.py:WRP",  # a pattern without codes is dropped
    "ABC:WRP",
    "x:y:WRP",
    "a.py:wrp001",  # errors from here on
    "a.py",
    ",",
    "a.py:WRP001 # a comment",
    "a.py:WRP0A",
    "a.py:WRP001 b.py",
    ":WRP001",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_syntax_is_flake8s(text: str) -> None:
    try:
        expected: object = tuple((f, tuple(c)) for f, c in parse_files_to_codes_mapping(text))
    except ExecutionError:
        expected = "error"
    try:
        got: object = PER_FILE_IGNORES.parse(text, "per-file-ignores")
    except OptionError as error:
        assert "\n" not in str(error)
        got = "error"
    assert got == expected


def test_the_syntax_table_has_errors_and_pairs() -> None:
    outcomes = set()
    for text in TEXTS:
        try:
            outcomes.add(bool(parse_files_to_codes_mapping(text)))
        except ExecutionError:
            outcomes.add(None)
    assert outcomes == {True, False, None}


# --- the same findings as flake8 --------------------------------------------------------

CONFIGS = [
    "per-file-ignores = tests/*:WRP001",
    "per-file-ignores = pkg/*:WRP",  # '*' crosses folders
    "per-file-ignores =\n    pkg/*:E501\n    pkg/sub/*:WRP001",  # the longest pattern alone
    "per-file-ignores =\n    pkg/sub/*:WRP001\n    pkg/*:WRP101",
    "per-file-ignores = *.py:WRP0 a.py:WRP1",  # equal length: the first
    "per-file-ignores = b.py:WRP101",  # a base name
    "per-file-ignores = ./pkg/*.py:WRP001",
    "per-file-ignores = pkg:WRP001 pkg/:WRP001",  # a folder matches no file
    "per-file-ignores = a.py,tests/*:WRP001,WRP101",
    "per-file-ignores = a.py: WRP0, WRP1",
    "select = WRP001\nper-file-ignores = a.py:WRP",  # the selected code is longer
    "select = WRP\nper-file-ignores = a.py:WRP",
    "extend-ignore = WRP101\nper-file-ignores = a.py:WRP001",
    "ignore = W\nextend-select = WRP\nper-file-ignores = a.py:WRP1",
    "extend-select = WRP0\nper-file-ignores = a.py:W",
]


def _wrp(output: str) -> list[tuple[str, int, str]]:
    found = []
    for line in lines(output):
        path, number, _, rest = line.split(":", 3)
        if rest.split()[0].startswith("WRP"):
            found.append((path, int(number), rest.split()[0]))
    return sorted(found)


@pytest.mark.parametrize("config", CONFIGS)
def test_the_command_reports_what_flake8_reports(tmp_path: Path, config: str) -> None:
    _tree(tmp_path)
    write(tmp_path, "setup.cfg", f"[flake8]\n{config}\n")
    flake8 = run_tool("flake8", "-j", "1", ".", cwd=tmp_path)
    assert "Traceback" not in flake8.stderr
    expected = _wrp(flake8.stdout)
    command = run_tool(TOOL, ".", cwd=tmp_path)
    assert command.stderr == ""
    assert _wrp(command.stdout) == expected
    assert command.returncode == (1 if expected else 0)
    # the per-file-ignores hide something, and not everything
    assert 0 < len(expected) < 2 * len(FILES) or "pkg:" in config


def test_a_toml_table_reads_as_the_flake8_section(tmp_path: Path) -> None:
    _tree(tmp_path)
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores =\n  pkg/*:WRP\n  tests/*:WRP001\n")
    flake8 = _wrp(run_tool("flake8", "-j", "1", ".", cwd=tmp_path).stdout)
    (tmp_path / "setup.cfg").unlink()
    write(
        tmp_path,
        "pyproject.toml",
        '[tool.flake8-wraps.per-file-ignores]\n"pkg/*" = ["WRP"]\n"tests/*" = "WRP001"\n',
    )
    command = run_tool(TOOL, ".", cwd=tmp_path)
    assert command.stderr == ""
    assert _wrp(command.stdout) == flake8
    assert flake8 == [
        ("./a.py", 9, "WRP001"),
        ("./a.py", 15, "WRP101"),
        ("./tests/test_x.py", 15, "WRP101"),
    ]
    flag = run_tool(
        TOOL, "--isolated", "--per-file-ignores=pkg/*:WRP tests/*:WRP001", ".", cwd=tmp_path
    )
    assert _wrp(flag.stdout) == flake8


def test_patterns_are_read_from_the_config_files_folder(tmp_path: Path) -> None:
    _tree(tmp_path)
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores = pkg/*:WRP\n")
    below = run_tool(TOOL, ".", cwd=tmp_path / "pkg")
    assert below.returncode == 0, below.stdout
    outside = run_tool(TOOL, str(tmp_path), cwd=tmp_path.parent)
    assert {path.split(str(tmp_path))[1] for path, _, _ in _wrp(outside.stdout)} == {
        "/a.py",
        "/tests/test_x.py",
    }


# --- fixing, the cache, stdin, views shared between modules --------------------------------


def test_an_ignored_code_is_not_fixed_in_that_file(tmp_path: Path) -> None:
    _tree(tmp_path)
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores = pkg/*:WRP001 a.py:WRP\n")
    diff = run_tool(TOOL, "--diff", ".", cwd=tmp_path)
    assert "--- ./a.py" not in diff.stdout
    assert lines(diff.stderr) == ["4 fixes would be made in 3 files, 0 findings left"]
    fixed = run_tool(TOOL, "--fix", ".", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert lines(fixed.stderr) == ["4 fixes in 3 files, 0 findings left"]
    text = {name: (tmp_path / name).read_text() for name in FILES}
    assert text["a.py"] == BOTH
    for name in ("pkg/b.py", "pkg/sub/c.py"):  # the route moved, wraps not added
        assert "@functools.wraps" not in text[name]
        assert '@app.route("/admin")\n@login_required\n' in text[name]
    assert "@functools.wraps(view)" in text["tests/test_x.py"]


def test_changing_the_per_file_ignores_is_seen_through_the_cache(tmp_path: Path) -> None:
    _tree(tmp_path)
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores = pkg/*:WRP\n")
    first = run_tool(TOOL, ".", cwd=tmp_path, cache=True)
    assert len(lines(first.stdout)) == 4
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores = a.py:WRP\n")
    second = run_tool(TOOL, ".", cwd=tmp_path, cache=True)
    assert {path for path, _, _ in _wrp(second.stdout)} == {
        "./pkg/b.py",
        "./pkg/sub/c.py",
        "./tests/test_x.py",
    }


def test_stdin_is_matched_by_its_name(tmp_path: Path) -> None:
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores = views.py:WRP101\n")
    named = run_tool(TOOL, "--stdin-filename=views.py", "-", cwd=tmp_path, stdin=BOTH)
    assert [line.split()[1] for line in lines(named.stdout)] == ["WRP001"]
    flake8 = run_tool("flake8", "--stdin-display-name=views.py", "-", cwd=tmp_path, stdin=BOTH)
    assert _wrp(flake8.stdout) == _wrp(named.stdout)
    other = run_tool(TOOL, "--stdin-filename=other.py", "-", cwd=tmp_path, stdin=BOTH)
    assert len(lines(other.stdout)) == 2


def test_a_view_in_an_ignored_file_still_takes_its_endpoint(tmp_path: Path) -> None:
    project = tmp_path / "split"
    shutil.copytree(FIXTURES / "projects" / "split_views", project)
    users = [
        ("./views/users.py", 5, "WRP102"),
        ("./views/users.py", 11, "WRP102"),
        ("./views/users.py", 17, "WRP102"),
    ]
    plain = run_tool(TOOL, ".", cwd=project)
    assert _wrp(plain.stdout) == [("./auth.py", 2, "WRP001"), *users]
    # app.py's views are not reported, but views/users.py still clashes with them
    write(project, "setup.cfg", "[flake8]\nper-file-ignores = app.py:WRP auth.py:WRP\n")
    app_ignored = run_tool(TOOL, ".", cwd=project)
    assert _wrp(app_ignored.stdout) == users
    write(project, "setup.cfg", "[flake8]\nper-file-ignores = views/users.py:WRP102\n")
    users_ignored = run_tool(TOOL, ".", cwd=project)
    assert _wrp(users_ignored.stdout) == [("./auth.py", 2, "WRP001")]


@pytest.mark.parametrize(
    "content",
    [
        '[tool.flake8-wraps]\nper-file-ignores = {"a.py" = ["wrp001"]}\n',
        '[tool.flake8-wraps.per-file-ignores]\n"a.py" = 1\n',
        '[tool.flake8-wraps]\nper-file-ignores = ["a.py:WRP001"]\n',
        '[tool.flake8-wraps]\nper-file-ignores = "a.py"\n',
    ],
)
def test_a_bad_table_is_one_error_line(tmp_path: Path, content: str) -> None:
    write(tmp_path, "a.py", MISSING_WRAPS)
    write(tmp_path, "pyproject.toml", content)
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    [line] = lines(result.stderr)
    assert line.startswith(
        f"flake8-wraps: error: {tmp_path / 'pyproject.toml'}: option per-file-ignores"
    )
