"""End-to-end tests of the ``flake8-wraps`` command, run in a subprocess.

Every test builds a small tree in ``tmp_path`` and runs the installed console
script through :func:`conftest.run_tool`, then checks the contract: exit codes,
exact output lines, directory walking and excludes, stdin, and one-line errors
for input that cannot be checked (while the other files are still checked).
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from flake8_wraps import source
from flake8_wraps.command import cli, discovery
from flake8_wraps.command import console as console_module

from conftest import (
    ABOVE_ROUTE,
    MISSING_WRAPS,
    WRP001_DECO,
    assert_no_traceback,
    lines,
    run_tool,
    write,
)

TOOL = "flake8-wraps"

# --- sources and the exact lines they produce -------------------------------

# a decorator that loses functools.wraps: WRP001 on line 2, column 5

WRP101_LOGIN = (
    "WRP101 '@login_required' is above '@app.route': the route registers the "
    "undecorated view, so 'login_required' never runs"
)

CLEAN = (
    "import functools\n"
    "\n"
    "\n"
    "def deco(f):\n"
    "    @functools.wraps(f)\n"
    "    def wrapper(*args, **kwargs):\n"
    "        return f(*args, **kwargs)\n"
    "\n"
    "    return wrapper\n"
)


def wrp001(path: str, line: int = 2, col: int = 5) -> str:
    return f"{path}:{line}:{col}: {WRP001_DECO}"


# --- helpers -----------------------------------------------------------------


ERROR_LINE = re.compile(r"^(?P<path>.+?): error: (?P<reason>\S.*)$")


def assert_one_error(result, path: str, *keywords: str) -> str:  # type: ignore[no-untyped-def]
    """stderr is exactly one ``path: error: reason`` line; return the reason."""
    assert_no_traceback(result)
    errors = lines(result.stderr)
    assert len(errors) == 1, result.stderr
    match = ERROR_LINE.match(errors[0])
    assert match, errors[0]
    assert match["path"] == path, errors[0]
    reason = match["reason"].lower()
    for keyword in keywords:
        assert keyword.lower() in reason, errors[0]
    return match["reason"]


# --- version and exit codes ---------------------------------------------------


def test_version(tmp_path: Path) -> None:
    result = run_tool(TOOL, "--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"flake8-wraps {version('flake8-wraps')}\n"
    assert result.stderr == ""


def test_python_dash_m_is_the_same_command(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    script = run_tool(TOOL, ".", cwd=tmp_path)
    module = subprocess.run(
        [sys.executable, "-m", "flake8_wraps", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert (module.returncode, module.stdout, module.stderr) == (
        1,
        script.stdout,
        "",
    )
    assert script.returncode == 1
    assert wrp001("./deco.py") in module.stdout


def test_clean_tree_exits_0_and_prints_nothing(tmp_path: Path) -> None:
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/decorators.py", CLEAN)
    write(tmp_path, "pkg/stubs.pyi", "def f(x: int) -> int: ...\n")
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_findings_exit_1_with_exact_lines_sorted_by_line(tmp_path: Path) -> None:
    # one module with both rules, WRP001 after WRP101 in the file
    source = ABOVE_ROUTE + "\n\n" + MISSING_WRAPS
    write(tmp_path, "app.py", source)
    write(tmp_path, "clean.py", CLEAN)
    write(tmp_path, "deco.py")
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [
        f"./app.py:16:1: {WRP101_LOGIN}",
        wrp001("./app.py", line=23),
        wrp001("./deco.py"),
    ]


def test_output_is_sorted_by_path_when_walking_a_tree(tmp_path: Path) -> None:
    # string order and path-component order agree here: a/x.py < m.py < z/y.py
    write(tmp_path, "m.py")
    write(tmp_path, "a/x.py")
    write(tmp_path, "z/y.py")
    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout) == [wrp001("./a/x.py"), wrp001("./m.py"), wrp001("./z/y.py")]


def test_output_is_sorted_by_path_for_explicit_arguments(tmp_path: Path) -> None:
    write(tmp_path, "a.py")
    write(tmp_path, "b.py")
    result = run_tool(TOOL, "b.py", "a.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout) == [wrp001("a.py"), wrp001("b.py")]


def test_unknown_flag_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    result = run_tool(TOOL, "--no-such-flag", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_no_traceback(result)
    assert len(lines(result.stderr)) == 1, result.stderr
    assert "--no-such-flag" in result.stderr


def test_bad_jobs_value_is_a_usage_error(tmp_path: Path) -> None:
    result = run_tool(TOOL, "-j", "many", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_no_traceback(result)
    assert len(lines(result.stderr)) == 1, result.stderr


@pytest.mark.parametrize(
    "option", ["--wraps-equivalents", "--wraps-route-objects", "--wraps-allowed-above-route"]
)
def test_bad_option_value_is_a_one_line_error_naming_the_option(
    tmp_path: Path, option: str
) -> None:
    write(tmp_path, "deco.py")
    result = run_tool(TOOL, f"{option}=my-lib.x", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""  # nothing was checked
    assert_no_traceback(result)
    assert lines(result.stderr) == [
        f"flake8-wraps: error: option {option}: 'my-lib.x' is not a dotted Python name"
    ]


def test_good_option_value_is_used(tmp_path: Path) -> None:
    write(
        tmp_path,
        "deco.py",
        "import mylib\n\n\n"
        "@mylib.keeps_metadata\n"
        "def deco(f):\n"
        "    def wrapper(*args, **kwargs):\n"
        "        return f(*args, **kwargs)\n"
        "    return wrapper\n",
    )
    before = run_tool(TOOL, ".", cwd=tmp_path)
    assert lines(before.stdout) == [wrp001("./deco.py", line=6)]
    result = run_tool(TOOL, "--wraps-equivalents=mylib.keeps_metadata", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# --- directory walking ----------------------------------------------------------


def test_walk_finds_py_and_pyi_recursively_and_skips_default_excludes(tmp_path: Path) -> None:
    write(tmp_path, "top.py")
    write(tmp_path, "pkg/sub/deep/mod.py")
    write(tmp_path, "pkg/stub.pyi")
    write(tmp_path, "pkg/notes.txt")
    write(tmp_path, "pkg/script")  # no suffix: not walked
    write(tmp_path, "pkg/module.pyc", b"\x00\x01")  # not *.py
    for skipped in (
        ".git/hooks/hook.py",
        ".tox/py311/lib/mod.py",
        ".venv/lib/mod.py",
        "venv/lib/mod.py",
        "build/lib/mod.py",
        "dist/mod.py",
        "pkg/__pycache__/mod.py",
        "my_pkg.egg-info/mod.py",
        "pkg/build/mod.py",  # excluded names apply at any depth
    ):
        write(tmp_path, skipped)
    # a virtual environment is recognised by its pyvenv.cfg, whatever its name
    write(tmp_path, "python-env-3.11/pyvenv.cfg", "home = /usr/bin\n")
    write(tmp_path, "python-env-3.11/lib/site-packages/pkg/mod.py")
    write(tmp_path, "pkg/.envs/py/pyvenv.cfg", "home = /usr/bin\n")
    write(tmp_path, "pkg/.envs/py/mod.py")

    result = run_tool(TOOL, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert sorted(lines(result.stdout)) == sorted(
        [wrp001("./top.py"), wrp001("./pkg/sub/deep/mod.py"), wrp001("./pkg/stub.pyi")]
    )


def test_no_arguments_means_the_current_directory(tmp_path: Path) -> None:
    write(tmp_path, "outside.py")
    write(tmp_path, "project/inside.py")
    write(tmp_path, "project/sub/more.py")
    result = run_tool(TOOL, cwd=tmp_path / "project")
    assert result.returncode == 1, result.stderr
    assert sorted(lines(result.stdout)) == [wrp001("./inside.py"), wrp001("./sub/more.py")]


def test_exclude_replaces_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, "src/mod.py")
    write(tmp_path, "build/lib/mod.py")
    write(tmp_path, "generated/mod.py")
    result = run_tool(TOOL, "--exclude=generated", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert sorted(lines(result.stdout)) == [wrp001("./build/lib/mod.py"), wrp001("./src/mod.py")]


def test_extend_exclude_adds_to_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, "src/mod.py")
    write(tmp_path, "src/api_pb2.py")
    write(tmp_path, "build/lib/mod.py")
    write(tmp_path, "generated/mod.py")
    write(tmp_path, "other/mod.py")
    result = run_tool(TOOL, "--extend-exclude=generated, *_pb2.py,other", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout) == [wrp001("./src/mod.py")]


@pytest.mark.parametrize(
    "relative",
    [
        "build/lib/mod.py",
        ".tox/py/mod.py",
        "node_modules/x/mod.py",
        "venvlike/mod.py",
        "gen/mod.py",
    ],
)
def test_an_explicit_file_is_checked_even_if_its_folder_is_excluded(
    tmp_path: Path, relative: str
) -> None:
    write(tmp_path, "venvlike/pyvenv.cfg", "home = /usr/bin\n")
    write(tmp_path, relative)
    result = run_tool(TOOL, "--extend-exclude=gen,mod.py", relative, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout) == [wrp001(relative)]


def test_a_directory_named_like_a_module_is_walked(tmp_path: Path) -> None:
    write(tmp_path, "tree/x.py/inner.py")
    write(tmp_path, "tree/x.py/deeper/more.pyi")
    inside = run_tool(TOOL, "tree", cwd=tmp_path)
    assert inside.returncode == 1, inside.stderr
    assert inside.stderr == ""
    assert sorted(lines(inside.stdout)) == [
        wrp001("tree/x.py/deeper/more.pyi"),
        wrp001("tree/x.py/inner.py"),
    ]
    explicit = run_tool(TOOL, "tree/x.py", cwd=tmp_path)
    assert explicit.returncode == 1, explicit.stderr
    assert explicit.stderr == ""
    assert sorted(lines(explicit.stdout)) == sorted(lines(inside.stdout))


# --- stdin -------------------------------------------------------------------------


def test_stdin_is_reported_as_dash(tmp_path: Path) -> None:
    write(tmp_path, "on_disk.py")  # must not be walked: only stdin is checked
    result = run_tool(TOOL, "-", cwd=tmp_path, stdin=MISSING_WRAPS)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [wrp001("-")]


def test_stdin_is_reported_under_stdin_filename(tmp_path: Path) -> None:
    result = run_tool(
        TOOL, "--stdin-filename", "pkg/views.py", "-", cwd=tmp_path, stdin=MISSING_WRAPS
    )
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout) == [wrp001("pkg/views.py")]


def test_clean_stdin_exits_0(tmp_path: Path) -> None:
    result = run_tool(TOOL, "-", cwd=tmp_path, stdin=CLEAN)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_stdin_syntax_error_is_one_line(tmp_path: Path) -> None:
    result = run_tool(TOOL, "-", cwd=tmp_path, stdin="def broken(:\n")
    assert result.returncode == 2
    assert result.stdout == ""
    assert_one_error(result, "-", "parse")


# --- input that cannot be checked -------------------------------------------------

# (file name, content, keywords the one-line reason must contain). The chains are
# refused on every interpreter: 3.11 and later while parsing, 3.9 and 3.10 (whose
# parser builds a chain's tree without a depth check, so that a chain as deep as these
# kills the process) before parsing.
BAD_FILES = {
    "syntax_error": ("broken.py", b"def broken(:\n    pass\n", ("parse",)),
    "null_bytes": ("nul.py", b"x = 1\n\x00\x00y = 2\n", ("null",)),
    "undecodable": ("latin.py", b'x = "caf\xe9"\n', ()),
    "nested_parentheses": (
        "parens.py",
        ("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n").encode(),
        ("nest",),
    ),
    "long_plus_chain": (
        "chain.py",
        ("x = " + " + ".join(["1"] * 100_000) + "\n").encode(),
        ("nest",),
    ),
    "long_attribute_chain": ("attrs.py", ("x = a" + ".b" * 300_000 + "\n").encode(), ("nest",)),
    "chain_over_many_lines": (
        "lines.py",
        ("x = (1\n" + "+1\n" * 300_000 + ")\n").encode(),
        ("nest",),
    ),
    "chain_in_an_f_string": (
        "fstring.py",
        ('x = f"{' + "+".join(["1"] * 300_000) + '}"\n').encode(),
        ("nest",),
    ),
}
CHAINS = (
    "long_plus_chain",
    "long_attribute_chain",
    "chain_over_many_lines",
    "chain_in_an_f_string",
)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_one_error_line_and_other_files_are_still_checked(
    tmp_path: Path, case: str
) -> None:
    name, content, keywords = BAD_FILES[case]
    write(tmp_path, name, content)
    write(tmp_path, "good.py")
    explicit = run_tool(TOOL, name, "good.py", cwd=tmp_path)
    assert explicit.returncode == 2
    assert lines(explicit.stdout) == [wrp001("good.py")]
    assert_one_error(explicit, name, *keywords)

    walked = run_tool(TOOL, cwd=tmp_path)
    assert walked.returncode == 2
    assert lines(walked.stdout) == [wrp001("./good.py")]
    assert_one_error(walked, f"./{name}", *keywords)


def test_all_bad_files_in_one_tree_each_give_one_line(tmp_path: Path) -> None:
    for name, content, _ in BAD_FILES.values():
        write(tmp_path, f"pkg/{name}", content)
    (tmp_path / "pkg" / "dangling.py").symlink_to(tmp_path / "pkg" / "gone.py")
    write(tmp_path, "pkg/good.py")
    result = run_tool(TOOL, "pkg", cwd=tmp_path)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert lines(result.stdout) == [wrp001("pkg/good.py")]
    errors = lines(result.stderr)
    paths = sorted(ERROR_LINE.match(line)["path"] for line in errors)  # type: ignore[index]
    expected = sorted([f"pkg/{name}" for name, _, _ in BAD_FILES.values()] + ["pkg/dangling.py"])
    assert paths == expected, result.stderr


def _wide_module() -> tuple[str, int]:
    """A module with many more operators, attributes, calls and subscripts than a chain
    may have (source.MAX_CHAIN_DEPTH), none of them deep, and a chain 2,000 deep; with
    the line of its WRP001."""
    depth = 2_000
    rows = "".join(f"v{n} = a.b[{n}] + f(x, y.z) * 2 - ~n  # a.b.c\n" for n in range(3_000))
    calls = "".join(f"log.info.debug[{n}]()\n" for n in range(4_000))
    table = "TABLE = [\n" + "".join(f"    Color.RED + {n},\n" for n in range(12_000)) + "]\n"
    text = 'TEXT = f"{a.b}" + "' + "a.b+c-d " * 5_000 + '"\n'  # a plain string has no links
    deep = "DEEP = [" + " + ".join(["1"] * depth) + ", (a" + ".b" * depth + ")]\n"
    prefix = rows + calls + table + text + deep
    return prefix + MISSING_WRAPS, prefix.count("\n") + 2


def test_a_wide_module_and_a_chain_as_deep_as_real_code_has_are_checked(
    tmp_path: Path,
) -> None:
    content, line = _wide_module()
    write(tmp_path, "wide.py", content)
    result = run_tool(TOOL, "wide.py", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert lines(result.stdout) == [wrp001("wide.py", line=line)]


def test_the_chain_guard_of_3_9_and_3_10_refuses_deep_chains_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # what the command does on 3.9 and 3.10, checked on every interpreter: the deep
    # chains never reach the parser, the wide module does and is checked
    monkeypatch.setattr(source, "_CHAINS_UNGUARDED", True)
    parsed: list[str] = []
    real_parse = ast.parse

    def parse(data, filename="<unknown>", *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(filename)
        return real_parse(data, filename, *args, **kwargs)

    monkeypatch.setattr(source.ast, "parse", parse)
    names = [BAD_FILES[case][0] for case in CHAINS]
    for case in CHAINS:
        write(tmp_path, *BAD_FILES[case][:2])
    content, line = _wide_module()
    write(tmp_path, "wide.py", content)
    status, out, err = run_in_process(monkeypatch, capsys, tmp_path, *names, "wide.py")
    assert status == 2
    assert lines(out) == [wrp001("wide.py", line=line)]
    assert sorted(lines(err)) == sorted(
        f"{name}: error: cannot parse: nested too deeply for the parser" for name in names
    )
    assert parsed == ["wide.py"]


def test_latin1_file_with_a_coding_cookie_is_checked(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\nGREETING = 'caf\xe9'\n" + MISSING_WRAPS
    write(tmp_path, "latin.py", source.encode("latin-1"))
    write(tmp_path, "good.py")
    result = run_tool(TOOL, "latin.py", "good.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [wrp001("good.py"), wrp001("latin.py", line=4)]


def test_file_with_a_utf8_bom_is_checked(tmp_path: Path) -> None:
    write(tmp_path, "bom.py", b"\xef\xbb\xbf" + MISSING_WRAPS.encode())
    write(tmp_path, "good.py")
    result = run_tool(TOOL, "bom.py", "good.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [wrp001("bom.py"), wrp001("good.py")]


def run_in_process(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cwd: Path,
    *args: str,
) -> tuple[int, str, str]:
    """The command run in this process (so a test can make the OS refuse something)."""
    monkeypatch.chdir(cwd)
    status = cli.main(["-j", "1", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # chmod 000 does not stop root, so the refusal is made in-process: the command's
    # own reading code meets a real PermissionError, as it would for another user
    write(tmp_path, "secret.py")
    write(tmp_path, "good.py")
    real_open = open

    def guarded_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(source, "open", guarded_open, raising=False)
    status, out, err = run_in_process(monkeypatch, capsys, tmp_path, "secret.py", "good.py")
    assert status == 2
    assert lines(out) == [wrp001("good.py")]
    assert err.splitlines() == ["secret.py: error: Permission denied"]


def test_path_through_a_regular_file_is_one_error_line(tmp_path: Path) -> None:
    # an OS error other than "missing" that happens as root too (ENOTDIR)
    write(tmp_path, "good.py")
    result = run_tool(TOOL, "good.py/child.py", "good.py", cwd=tmp_path)
    assert result.returncode == 2
    assert lines(result.stdout) == [wrp001("good.py")]
    assert_one_error(result, "good.py/child.py")


def test_broken_symlink_given_explicitly(tmp_path: Path) -> None:
    (tmp_path / "dangling.py").symlink_to(tmp_path / "gone.py")
    write(tmp_path, "good.py")
    result = run_tool(TOOL, "dangling.py", "good.py", cwd=tmp_path)
    assert result.returncode == 2
    assert lines(result.stdout) == [wrp001("good.py")]
    assert_one_error(result, "dangling.py", "symbolic link")


def test_broken_symlink_found_while_walking(tmp_path: Path) -> None:
    write(tmp_path, "src/good.py")
    (tmp_path / "src" / "dangling.py").symlink_to(tmp_path / "src" / "gone.py")
    result = run_tool(TOOL, "src", cwd=tmp_path)
    assert result.returncode == 2
    assert lines(result.stdout) == [wrp001("src/good.py")]
    assert_one_error(result, "src/dangling.py", "symbolic link")


def test_a_file_reached_twice_is_checked_once(tmp_path: Path) -> None:
    write(tmp_path, "src/mod.py")
    (tmp_path / "src" / "alias.py").symlink_to("mod.py")
    # the folder, a link beside the file, and the file itself named again
    result = run_tool(TOOL, "src", "src/mod.py", "./src/mod.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [wrp001("src/alias.py")]


def test_links_to_directories_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "elsewhere/mod.py")
    write(tmp_path, "src/own.py")
    (tmp_path / "src" / "linked").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "src" / "linked.py").symlink_to(tmp_path / "elsewhere")
    result = run_tool(TOOL, "src", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [wrp001("src/own.py")]


def test_folder_that_cannot_be_listed_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # as for unreadable files, root can list anything: the refusal is made in-process
    write(tmp_path, "src/locked/mod.py")
    write(tmp_path, "src/open/mod.py")
    real_scandir = discovery.os.scandir

    def guarded_scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", guarded_scandir)
    status, out, err = run_in_process(monkeypatch, capsys, tmp_path, "src")
    assert status == 2
    assert lines(out) == [wrp001("src/open/mod.py")]
    assert err.splitlines() == ["src/locked: error: Permission denied"]


def test_missing_path_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, "good.py")
    result = run_tool(TOOL, "missing.py", "good.py", cwd=tmp_path)
    assert result.returncode == 2
    assert lines(result.stdout) == [wrp001("good.py")]
    assert_one_error(result, "missing.py", "no such file")


def test_missing_directory_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, "good.py")
    result = run_tool(TOOL, "no_such_dir", "good.py", cwd=tmp_path)
    assert result.returncode == 2
    assert lines(result.stdout) == [wrp001("good.py")]
    assert_one_error(result, "no_such_dir", "no such file")


def test_ten_megabyte_module_is_checked(tmp_path: Path) -> None:
    doc = '    """' + "Lorem ipsum dolor sit amet. " * 36 + '"""\n'
    chunks: list[str] = []
    size = index = 0
    while size < 10 * 1024 * 1024:
        chunk = f"def function_{index}(argument):\n{doc}    return argument + {index}\n\n\n"
        chunks.append(chunk)
        size += len(chunk)
        index += 1
    body = "".join(chunks)
    line = body.count("\n") + 2  # the wrapper's def in MISSING_WRAPS is its line 2
    write(tmp_path, "big.py", body + MISSING_WRAPS)
    assert (tmp_path / "big.py").stat().st_size >= 10 * 1024 * 1024
    write(tmp_path, "good.py")
    result = run_tool(TOOL, "big.py", "good.py", cwd=tmp_path)
    assert result.stderr == ""
    assert result.returncode == 1
    assert lines(result.stdout) == [wrp001("big.py", line=line), wrp001("good.py")]


# --- many files: the parallel path -----------------------------------------------


def test_parallel_output_is_identical_to_serial(tmp_path: Path) -> None:
    expected: list[str] = []
    for index in range(120):
        relative = f"pkg{index % 4}/mod_{index:03d}.py"
        if index % 3 == 0:
            write(tmp_path, relative)
            expected.append(wrp001(f"./{relative}"))
        elif index % 3 == 1:
            write(tmp_path, relative, CLEAN)
        else:
            write(tmp_path, relative, ABOVE_ROUTE)
            expected.append(f"./{relative}:16:1: {WRP101_LOGIN}")
    write(tmp_path, "pkg1/broken.py", "def broken(:\n")
    serial = run_tool(TOOL, "-j", "1", ".", cwd=tmp_path)
    parallel = run_tool(TOOL, "-j", "2", ".", cwd=tmp_path)
    assert_no_traceback(parallel)
    assert serial.returncode == parallel.returncode == 2
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert sorted(lines(parallel.stdout)) == sorted(expected)
    assert_one_error(parallel, "./pkg1/broken.py", "parse")


def test_parallel_path_with_findings_only_exits_1(tmp_path: Path) -> None:
    for index in range(60):
        write(tmp_path, f"mod_{index:03d}.py", MISSING_WRAPS if index % 2 else CLEAN)
    result = run_tool(TOOL, "-j", "2", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [wrp001(f"./mod_{i:03d}.py") for i in range(1, 60, 2)]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_only_on_a_terminal_for_many_files() -> None:
    threshold = console_module.PROGRESS_THRESHOLD
    for total, stream in ((threshold, io.StringIO()), (threshold - 1, _Terminal())):
        quiet = console_module.Console(io.StringIO(), stream, total)
        quiet.progress(1)
        quiet.close()
        assert stream.getvalue() == ""


def test_progress_line_is_redrawn_a_few_times_a_second_and_cleared() -> None:
    """Drawn at most every REDRAW_INTERVAL, cleared before any output and at the end."""
    total = 50_000
    now = [0.0]
    out, terminal = io.StringIO(), _Terminal()
    console = console_module.Console(out, terminal, total, clock=lambda: now[0])
    for done in range(1, total + 1):
        now[0] += 0.001  # a file a millisecond: 50 seconds in all
        console.progress(done)
        if done == 25_000:
            console.result("mod.py:1:1: WRP001 found\n")
            console.error("bad.py: error: cannot parse")
    console.close()
    drawn = terminal.getvalue().count("\rflake8-wraps: ")
    assert 200 <= drawn <= 260  # about every 0.2 s, not 50,000 times
    assert len(terminal.getvalue()) < 20_000
    # what is printed starts on a cleared line; the line is cleared at the end
    blank = "\r" + " " * len(f"flake8-wraps: 25000/{total} files") + "\r"
    assert (blank + "bad.py: error: cannot parse\n") in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")
    assert out.getvalue() == "mod.py:1:1: WRP001 found\n"
