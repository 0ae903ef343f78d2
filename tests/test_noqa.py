"""``# noqa`` in the command is flake8's ``# noqa``: compared with the real flake8 on a
table of comment forms, in check mode, and honoured by ``--fix``."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_wraps.command import cli

from conftest import run_tool, write

# each comment goes on the line of a wrapper's ``def`` (a WRP001 finding)
COMMENTS = [
    "# noqa",
    "#noqa",
    "#  noqa",
    "# NOQA",
    "# NoQa",
    "# noqa:WRP001",
    "# noqa: WRP001",
    "# noqa:  WRP001",
    "# noqa : WRP001",
    "# noqa: wrp001",
    "# noqa: WRP",
    "# noqa: WRP0",
    "# noqa: WRP00",
    "# noqa: WRP0011",
    "# noqa: W",
    "# noqa: WRP101",
    "# noqa: SIM115",
    "# noqa: ANN002,PLR0913",
    "# noqa: E501,WRP001",
    "# noqa: E501, WRP001",
    "# noqa: E501 WRP001",
    "# noqa:E501,,WRP001,",
    "# noqa: WRP001 because the name is set later",
    "# noqa - the name is set later",
    "# noqa:",
    "# noqa: 123",
    "# type: ignore  # noqa: WRP001",
    "# noqa: B950 # noqa: WRP001",
    "# noqa-WRP001",
    "# noqaWRP001",
    "# not a noqa",
    "# pragma: no cover",
]


def _decorator(number: int, comment: str) -> str:
    return (
        f"def deco{number}(f):\n"
        f"    def wrapper(*args, **kwargs):  {comment}\n"
        f"        return f(*args, **kwargs)\n"
        f"    return wrapper\n\n\n"
    )


TABLE = "".join(_decorator(number, comment) for number, comment in enumerate(COMMENTS))

# flake8 searches a line with the lines a string or a backslash ties to it; a line
# break inside brackets ends them, so a comment on another line of a def or a call
# does not count
MULTILINE = """\
from flask import Flask

app = Flask(__name__)


def split(f):
    def wrapper(
        *args,  # noqa: WRP001
        **kwargs,
    ):
        return f(*args, **kwargs)
    return wrapper


def other(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)  # noqa: WRP001
    return wrapper


@split  # noqa: WRP001
@app.route(
    "/a",  # noqa: WRP101
)
def view_a():
    return "a"


@split
@app.route("/b")  # noqa: WRP101
def view_b():
    return "b"


@split  # noqa: WRP001
@app.route("/c")
def view_c():
    return "c"


text = '''
# noqa
'''
"""


def _flake8(root: Path, name: str) -> set[tuple[int, str]]:
    result = run_tool("flake8", "--isolated", "--select=WRP", name, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return {(int(line.split(":")[1]), line.split()[1]) for line in result.stdout.splitlines()}


def _command(
    root: Path, name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> set[tuple[int, str]]:
    monkeypatch.chdir(root)
    assert cli.main(["--isolated", name]) in (0, 1)
    out = capsys.readouterr().out
    return {(int(line.split(":")[1]), line.split()[1]) for line in out.splitlines()}


@pytest.mark.parametrize(("name", "source"), [("table.py", TABLE), ("multiline.py", MULTILINE)])
def test_the_command_silences_exactly_what_flake8_silences(
    name: str,
    source: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(tmp_path, name, source)
    expected = _flake8(tmp_path, name)
    assert _command(tmp_path, name, monkeypatch, capsys) == expected
    # both silence some and report some, so the comparison means something
    if name == "table.py":
        reported = {line for line, _ in expected}
        assert 0 < len(reported) < len(COMMENTS)


def test_a_comment_naming_another_code_hides_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "mod.py", _decorator(0, "# noqa: SIM115") + _decorator(1, "# noqa: WRP101"))
    assert _command(tmp_path, "mod.py", monkeypatch, capsys) == {(2, "WRP001"), (8, "WRP001")}


def test_fix_leaves_a_silenced_finding_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _decorator(0, "# noqa: WRP001") + _decorator(1, "# noqa: SIM115")
    path = write(tmp_path, "mod.py", source)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--fix", "mod.py"]) == 0
    capsys.readouterr()
    fixed = path.read_text()
    assert fixed.count("@functools.wraps(f)") == 1
    assert "    @functools.wraps(f)\n    def wrapper(*args, **kwargs):  # noqa: SIM115" in fixed
