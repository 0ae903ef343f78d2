"""``flake8-wraps --add-noqa``: a ``# noqa: CODE`` comment on the line of each finding.

Each test builds a small tree in ``tmp_path`` and runs the installed command in a
subprocess (:func:`conftest.run_tool`), then checks the exact bytes written, the
summary line and the exit status; the real flake8 checks the result, so a comment
that flake8 would not read fails the test.  The tests that must interfere with the
writing run :func:`flake8_wraps.command.cli.main` in-process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flake8_wraps.command import cli

from conftest import MISSING_WRAPS, WRP001_DECO, assert_no_traceback, lines, run_tool, write

TOOL = "flake8-wraps"

# every place a comment can go: a plain line, a line with a comment already, a noqa
# comment to extend (in two spellings), a def over several lines, a decorator whose
# string goes on to the next line (bare, and with a noqa comment at its end), a
# decorator continued with a backslash, two codes on one line
VIEWS = '''\
import functools

from flask import Flask

app = Flask(__name__)


def plain(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper


def typed(f):
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        return f(*args, **kwargs)
    return wrapper


def long_line(f):
    def wrapper(*args, **kwargs):  # noqa: E501
        return f(*args, **kwargs)
    return wrapper


def shouting(f):
    def wrapper(*args, **kwargs):  # NOQA:E501, W291 a long line
        return f(*args, **kwargs)
    return wrapper


def spread(f):
    def wrapper(
        *args,
        **kwargs,
    ):
        return f(*args, **kwargs)
    return wrapper


def limit(text):
    def deco(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)
        return wrapper
    return deco


def check(view):
    @functools.wraps(view)
    def wrapper():
        return view()
    return wrapper


@limit("""first line
second line""")
@app.route("/a")
def a():
    return "a"


@limit("""first line
second line""")  # noqa: E501
@app.route("/b")
def b():
    return "b"


@limit("c") \\
    .__call__
@app.route("/c")
def c():
    return "c"


@check
@app.route("/d/<int:id>")
def d(id):
    return id
'''
VIEWS_COMMENTED = '''\
import functools

from flask import Flask

app = Flask(__name__)


def plain(f):
    def wrapper(*args, **kwargs):  # noqa: WRP001
        return f(*args, **kwargs)
    return wrapper


def typed(f):
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: WRP001
        return f(*args, **kwargs)
    return wrapper


def long_line(f):
    def wrapper(*args, **kwargs):  # noqa: E501,WRP001
        return f(*args, **kwargs)
    return wrapper


def shouting(f):
    def wrapper(*args, **kwargs):  # NOQA:E501, W291, WRP001 a long line
        return f(*args, **kwargs)
    return wrapper


def spread(f):
    def wrapper(  # noqa: WRP001
        *args,
        **kwargs,
    ):
        return f(*args, **kwargs)
    return wrapper


def limit(text):
    def deco(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)
        return wrapper
    return deco


def check(view):
    @functools.wraps(view)
    def wrapper():
        return view()
    return wrapper


@limit("""first line
second line""")  # noqa: WRP101
@app.route("/a")
def a():
    return "a"


@limit("""first line
second line""")  # noqa: E501,WRP101
@app.route("/b")
def b():
    return "b"


@limit("c") \\
    .__call__  # noqa: WRP101
@app.route("/c")
def c():
    return "c"


@check  # noqa: WRP007,WRP101
@app.route("/d/<int:id>")
def d(id):
    return id
'''
# (line, code) of each finding of VIEWS
VIEWS_FINDINGS = {
    (9, "WRP001"),
    (15, "WRP001"),
    (21, "WRP001"),
    (27, "WRP001"),
    (33, "WRP001"),
    (57, "WRP101"),
    (64, "WRP101"),
    (71, "WRP101"),
    (78, "WRP007"),
    (78, "WRP101"),
}


def _flake8(root: Path, *names: str) -> set[tuple[str, int, str]]:
    """(file, line, code) of what the real flake8 reports of this plugin."""
    result = run_tool("flake8", "--isolated", "--select=WRP", *names, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    found = set()
    for line in lines(result.stdout):
        path, number, _, rest = line.split(":", 3)
        found.add((path, int(number), rest.split()[0]))
    return found


def test_add_noqa_comments_every_finding_where_flake8_reads_it(tmp_path: Path) -> None:
    path = write(tmp_path, "views.py", VIEWS)
    assert _flake8(tmp_path, "views.py") == {("views.py", n, c) for n, c in VIEWS_FINDINGS}
    result = run_tool(TOOL, "--add-noqa", "views.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert lines(result.stderr) == ["9 noqa comments added to 1 file, 0 findings left"]
    assert path.read_text() == VIEWS_COMMENTED
    # flake8 and the command read every comment, and silence nothing else
    assert _flake8(tmp_path, "views.py") == set()
    check = run_tool(TOOL, "views.py", cwd=tmp_path)
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "")
    # a second run finds nothing to comment and writes nothing
    before = os.stat(path)
    again = run_tool(TOOL, "--add-noqa", "views.py", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, "")
    assert lines(again.stderr) == ["0 noqa comments added to 0 files, 0 findings left"]
    assert path.read_text() == VIEWS_COMMENTED
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns


def test_a_reason_follows_the_codes_of_each_new_comment(tmp_path: Path) -> None:
    path = write(
        tmp_path, "mod.py", MISSING_WRAPS + "\n\n" + MISSING_WRAPS.replace("deco", "other")
    )
    write(
        tmp_path, "extended.py", MISSING_WRAPS.replace("kwargs):\n", "kwargs):  # noqa: E501\n", 1)
    )
    result = run_tool(
        TOOL, "--add-noqa", "--add-noqa-reason", " legacy, see PLAT-12 ", ".", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert lines(result.stderr) == ["3 noqa comments added to 2 files, 0 findings left"]
    assert lines(path.read_text())[1] == (
        "    def wrapper(*args, **kwargs):  # noqa: WRP001 legacy, see PLAT-12"
    )
    assert lines(path.read_text())[12] == (
        "    def wrapper(*args, **kwargs):  # noqa: WRP001 legacy, see PLAT-12"
    )
    # a comment that is extended keeps its own text and gets no reason
    assert lines((tmp_path / "extended.py").read_text())[1] == (
        "    def wrapper(*args, **kwargs):  # noqa: E501,WRP001"
    )
    assert _flake8(tmp_path, ".") == set()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ("--add-noqa", "--add-noqa-reason", "X1 is legacy"),
            "--add-noqa-reason: flake8 would read 'X1' as a code; start the reason with a word",
        ),
        (
            ("--add-noqa", "--add-noqa-reason", "two\nlines"),
            "--add-noqa-reason: the reason must be one line of printable text",
        ),
        (("--add-noqa", "--add-noqa-reason", "  "), "--add-noqa-reason: the reason is empty"),
        (("--add-noqa-reason", "legacy"), "--add-noqa-reason needs --add-noqa"),
        (("--add-noqa", "--fix"), "--add-noqa cannot be used with --fix"),
        (("--add-noqa", "--diff"), "--add-noqa cannot be used with --diff"),
    ],
)
def test_bad_flags_are_one_error_line_and_nothing_is_written(
    tmp_path: Path, flags: tuple[str, ...], message: str
) -> None:
    path = write(tmp_path, "mod.py")
    result = run_tool(TOOL, *flags, "mod.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert lines(result.stderr) == [f"flake8-wraps: error: {message}"]
    assert path.read_text() == MISSING_WRAPS


# the decorator's line holds a noqa comment for E501 in a string: flake8 reads that
# one first, so no comment on the line can silence WRP101 there
NOQA_IN_A_STRING = """\
import functools

from flask import Flask

app = Flask(__name__)


def limit(text):
    def deco(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)
        return wrapper
    return deco


@limit("# noqa: E501")
@app.route("/c")
def c():
    return "c"
"""
WRP101_LIMIT = (
    "WRP101 '@limit' is above '@app.route': the route registers the undecorated view, "
    "so 'limit' never runs"
)


def test_a_noqa_inside_a_string_is_not_edited_and_its_finding_is_left(tmp_path: Path) -> None:
    path = write(tmp_path, "mod.py", NOQA_IN_A_STRING)
    write(tmp_path, "other.py")
    result = run_tool(TOOL, "--add-noqa", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert lines(result.stdout) == [f"./mod.py:17:1: {WRP101_LIMIT}"]
    assert lines(result.stderr) == ["1 noqa comment added to 1 file, 1 finding left"]
    assert path.read_text() == NOQA_IN_A_STRING
    assert _flake8(tmp_path, ".") == {("./mod.py", 17, "WRP101")}


@pytest.mark.parametrize(
    ("encoded", "commented"),
    [
        (
            MISSING_WRAPS.replace("\n", "\r\n").encode(),
            MISSING_WRAPS.replace("kwargs):\n", "kwargs):  # noqa: WRP001\n", 1)
            .replace("\n", "\r\n")
            .encode(),
        ),
        (
            ("# -*- coding: latin-1 -*-\n# é\n" + MISSING_WRAPS).encode("latin-1"),
            (
                "# -*- coding: latin-1 -*-\n# é\n"
                + MISSING_WRAPS.replace("kwargs):\n", "kwargs):  # noqa: WRP001 é\n", 1)
            ).encode("latin-1"),
        ),
        (
            b"\xef\xbb\xbf" + MISSING_WRAPS.replace("(*args", "(  *args").encode(),
            b"\xef\xbb\xbf"
            + MISSING_WRAPS.replace("(*args", "(  *args")
            .replace("kwargs):\n", "kwargs):  # noqa: WRP001 é\n", 1)
            .encode(),
        ),
    ],
    ids=["crlf", "latin-1", "bom"],
)
def test_line_endings_encodings_and_bom_survive(
    tmp_path: Path, encoded: bytes, commented: bytes
) -> None:
    path = write(tmp_path, "mod.py", encoded)
    reason = () if b"\r\n" in encoded else ("--add-noqa-reason", "é")
    result = run_tool(TOOL, "--add-noqa", *reason, "mod.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == commented
    assert _flake8(tmp_path, "mod.py") == set()


def test_a_reason_the_file_cannot_encode_is_an_error_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    source = ("# -*- coding: latin-1 -*-\n" + MISSING_WRAPS).encode("latin-1")
    path = write(tmp_path, "mod.py", source)
    result = run_tool(TOOL, "--add-noqa", "--add-noqa-reason", "legacy ✓", "mod.py", cwd=tmp_path)
    assert result.returncode == 2
    assert lines(result.stderr) == [
        "mod.py: error: noqa comments not added: the reason cannot be written in its "
        "encoding (iso-8859-1); file left as it was",
        "0 noqa comments added to 0 files, 1 finding left",
    ]
    assert path.read_bytes() == source


# views registered on one app from two modules under the same endpoint: WRP102 in the
# later module, which only the command sees (it reads both)
APP = "from flask import Flask\n\napp = Flask(__name__)\n"
VIEW = "from app import app\n\n\n@app.route('/{name}')\ndef index():\n    return '{name}'\n"


def test_an_endpoint_clash_between_modules_gets_its_comment_too(tmp_path: Path) -> None:
    write(tmp_path, "app.py", APP)
    write(tmp_path, "first.py", VIEW.format(name="first"))
    second = write(tmp_path, "second.py", VIEW.format(name="second"))
    write(tmp_path, "third.py", MISSING_WRAPS)
    before = run_tool(TOOL, ".", cwd=tmp_path)
    assert [[*line.split(":")[:2], line.split()[1]] for line in lines(before.stdout)] == [
        ["./third.py", "2", "WRP001"],
        ["./second.py", "4", "WRP102"],
    ]
    result = run_tool(TOOL, "--add-noqa", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert lines(result.stderr) == ["2 noqa comments added to 2 files, 0 findings left"]
    assert lines(second.read_text())[3] == "@app.route('/second')  # noqa: WRP102"
    after = run_tool(TOOL, ".", cwd=tmp_path)
    assert (after.returncode, after.stdout, after.stderr) == (0, "", "")


def test_stdin_gets_the_commented_module_on_stdout(tmp_path: Path) -> None:
    result = run_tool(TOOL, "--add-noqa", "-", cwd=tmp_path, stdin=MISSING_WRAPS)
    assert result.returncode == 0, result.stderr
    assert result.stdout == MISSING_WRAPS.replace("kwargs):\n", "kwargs):  # noqa: WRP001\n", 1)
    assert lines(result.stderr) == ["1 noqa comment added to 1 file, 0 findings left"]


def test_a_hard_linked_file_is_left_whole_as_by_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "src/mod.py")
    other = write(tmp_path, "src/other.py")
    os.link(path, tmp_path / "elsewhere.py")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["-j", "1", "--add-noqa", "src"]) == 2
    captured = capsys.readouterr()
    assert lines(captured.out) == [f"src/mod.py:2:5: {WRP001_DECO}"]
    assert lines(captured.err) == [
        "src/mod.py: error: not annotated: the file has 2 hard links, which replacing it "
        "would split",
        "1 noqa comment added to 1 file, 1 finding left",
    ]
    assert path.read_text() == MISSING_WRAPS
    assert "# noqa: WRP001" in other.read_text()


def test_a_file_changed_while_it_is_annotated_is_kept_as_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from flake8_wraps.fixer import noqa_comments

    path = write(tmp_path, "mod.py")
    original = noqa_comments.add_noqa

    def annotate_then_edit(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        outcome = original(name, *args, **kwargs)
        with open(name, "a") as stream:
            stream.write("# written by the editor\n")
        return outcome

    monkeypatch.setattr(noqa_comments, "add_noqa", annotate_then_edit)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["-j", "1", "--add-noqa", "mod.py"]) == 2
    captured = capsys.readouterr()
    assert lines(captured.err)[0] == (
        "mod.py: error: changed while it was being annotated; not annotated, left as it is now"
    )
    assert path.read_text() == MISSING_WRAPS + "# written by the editor\n"


def test_many_files_in_worker_processes_get_the_same_comments(tmp_path: Path) -> None:
    for number in range(60):
        write(tmp_path, f"pkg/m{number:02}.py", MISSING_WRAPS if number % 3 else "x = 1\n")
    result = run_tool(TOOL, "--add-noqa", "-j", "2", "pkg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert lines(result.stderr) == ["40 noqa comments added to 40 files, 0 findings left"]
    commented = MISSING_WRAPS.replace("kwargs):\n", "kwargs):  # noqa: WRP001\n", 1)
    for number in range(60):
        text = (tmp_path / f"pkg/m{number:02}.py").read_text()
        assert text == (commented if number % 3 else "x = 1\n")
    assert_no_traceback(result)
