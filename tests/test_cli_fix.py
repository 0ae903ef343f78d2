"""End-to-end tests of ``flake8-wraps --fix``, ``--diff``, ``--check`` and ``--unsafe-fixes``.

Every test builds a small tree in ``tmp_path`` and runs the installed console
script in a subprocess (through :func:`conftest.run_tool`, or :func:`run_bytes`
when the exact bytes on stdin/stdout matter), then checks the contract: exit
codes, the exact summary line, the exact bytes written, and that a file is never
lost or half-written.  The tests that must force an internal failure of the fixer
(verification, settling) run :func:`flake8_wraps.command.cli.main` in-process.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_wraps.command import cli
from flake8_wraps.fixer import engine
from flake8_wraps.fixer.engine import FixSettings, fix_source
from flake8_wraps.options import Options

from conftest import (
    ABOVE_ROUTE,
    APPLIED,
    EXAMPLES,
    MISSING_WRAPS,
    WRP001_DECO,
    assert_no_traceback,
    lines,
    run_tool,
    write,
)

TOOL = "flake8-wraps"

# --- sources and what they become ---------------------------------------------

# a pass-through wrapper without functools.wraps: a safe WRP001 fix
MISSING_WRAPS_FIXED = (
    "import functools\n"
    "\n"
    "\n"
    "def deco(f):\n"
    "    @functools.wraps(f)\n"
    "    def wrapper(*args, **kwargs):\n"
    "        return f(*args, **kwargs)\n"
    "    return wrapper\n"
) + APPLIED
MISSING_WRAPS_DIFF = (
    "--- {path}\n"
    "+++ {path}\n"
    "@@ -1,4 +1,8 @@\n"
    "+import functools\n"
    "+\n"
    "+\n"
    " def deco(f):\n"
    "+    @functools.wraps(f)\n"
    "     def wrapper(*args, **kwargs):\n"
    "         return f(*args, **kwargs)\n"
    "     return wrapper\n"
)

# a wrapper with a fixed signature: adding wraps changes the visible signature,
# so the WRP001 fix is unsafe and only made with --unsafe-fixes
FIXED_SIGNATURE = (
    "def deco(func):\n    def wrapper(x, y):\n        return func(x, y)\n    return wrapper\n"
)
FIXED_SIGNATURE_FIXED = (
    "import functools\n"
    "\n"
    "\n"
    "def deco(func):\n"
    "    @functools.wraps(func)\n"
    "    def wrapper(x, y):\n"
    "        return func(x, y)\n"
    "    return wrapper\n"
)
WRP001_FIXED_SIGNATURE = (
    "WRP001 decorator 'deco' returns 'wrapper' without functools.wraps(func): "
    "the decorated function loses __name__, __doc__ and __wrapped__"
)

# a Django-style view decorator whose wrapper takes ``request`` only: unsafe too
REQUEST_WRAPPER = (
    "def login(view):\n"
    "    def wrapper(request):\n"
    "        return view(request)\n"
    "    return wrapper\n"
)
WRP001_REQUEST = (
    "WRP001 decorator 'login' returns 'wrapper' without functools.wraps(view): "
    "the decorated function loses __name__, __doc__ and __wrapped__"
)

ABOVE_ROUTE_FIXED = ABOVE_ROUTE.replace(
    '@login_required\n@app.route("/admin")\n', '@app.route("/admin")\n@login_required\n'
)

CLEAN = MISSING_WRAPS_FIXED

ERROR_LINE = re.compile(r"^(?P<path>.+?): error: (?P<reason>\S.*)$")
SUMMARY = re.compile(r"^\d+ fix(es)?( would be made)? in \d+ files?, \d+ findings? left$")


# --- helpers -----------------------------------------------------------------------


def run_bytes(*args: str, cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """Like :func:`conftest.run_tool`, but bytes in and out (no newline translation)."""
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [str(bindir / args[0]), *args[1:]],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )


def assert_no_temporaries(root: Path) -> None:
    left = sorted(str(p) for p in root.rglob(".flake8-wraps-*"))
    assert left == [], left


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` (not following links) by relative path."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def split_stderr(result) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """(error lines, other lines) of stderr; every error line names one path."""
    errors, other = [], []
    for line in lines(result.stderr):
        (errors if ERROR_LINE.match(line) else other).append(line)
    return errors, other


def error_paths(errors: list[str]) -> list[str]:
    return sorted(ERROR_LINE.match(line)["path"] for line in errors)  # type: ignore[index]


_modules = itertools.count()


def load_module(path: Path):  # type: ignore[no-untyped-def]
    """Import ``path`` under a fresh module name; the module is dropped afterwards."""
    name = f"_flake8_wraps_fixed_app_{os.getpid()}_{next(_modules)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


# --- 1. the example Flask app -----------------------------------------------------------


def test_fix_repairs_the_example_app_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    tree = tmp_path / "examples"
    shutil.copytree(EXAMPLES, tree, ignore=shutil.ignore_patterns("predict"))  # one module
    original = (tree / "app.py").read_bytes()

    result = run_tool(TOOL, "--fix", "examples", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert lines(result.stderr) == ["2 fixes in 1 file, 0 findings left"]
    fixed = (tree / "app.py").read_bytes()
    assert fixed != original
    assert b"    @functools.wraps(view)\n    def wrapper(*args, **kwargs):\n" in fixed
    assert b'@app.route("/admin")\n@login_required\ndef admin():\n' in fixed
    assert_no_temporaries(tmp_path)

    # the import-time crash (duplicate endpoint 'wrapper') is gone
    flask = pytest.importorskip("flask")
    module = load_module(tree / "app.py")
    app = module.app
    assert isinstance(app, flask.Flask)
    assert app.view_functions["admin"] is module.admin
    client = app.test_client()
    for route in ("/admin", "/profile"):
        anonymous = client.get(route)
        assert anonymous.status_code == 401, route
        assert anonymous.get_json() == {"error": "login required"}
        assert client.get(route, headers={"X-User": "mallory"}).status_code == 401, route
        assert client.get(route, headers={"X-User": "alice"}).status_code == 200, route
    assert "Admin dashboard" in client.get("/admin", headers={"X-User": "alice"}).get_data(
        as_text=True
    )
    assert client.get("/").status_code == 200

    again = run_tool(TOOL, "--fix", "examples", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""
    assert lines(again.stderr) == ["0 fixes in 0 files, 0 findings left"]
    assert (tree / "app.py").read_bytes() == fixed
    assert (tree / "README.md").read_bytes() == (EXAMPLES / "README.md").read_bytes()
    assert_no_temporaries(tmp_path)


# --- 2. --diff and --check ------------------------------------------------------------------


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "deco.py")
    result = run_tool(TOOL, "--diff", "deco.py", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 1, result.stderr
    assert result.stdout == MISSING_WRAPS_DIFF.format(path="deco.py")
    assert result.stdout.startswith("--- deco.py\n+++ deco.py\n")
    assert "\n+    @functools.wraps(f)\n" in result.stdout
    assert lines(result.stderr) == ["1 fix would be made in 1 file, 0 findings left"]
    assert path.read_bytes() == MISSING_WRAPS.encode()
    assert_no_temporaries(tmp_path)


def test_diff_of_the_example_app_names_the_walked_path(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("predict"))
    before = snapshot(tmp_path)
    result = run_tool(TOOL, "--diff", "examples", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout)[:2] == ["--- examples/app.py", "+++ examples/app.py"]
    assert "\n+    @functools.wraps(view)\n" in result.stdout
    assert '\n+@app.route("/admin")\n @login_required\n-@app.route("/admin")\n' in result.stdout
    assert lines(result.stderr) == ["2 fixes would be made in 1 file, 0 findings left"]
    assert snapshot(tmp_path) == before


def test_diff_on_a_clean_file_prints_nothing_and_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path, "clean.py", CLEAN)
    result = run_tool(TOOL, "--diff", "clean.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert lines(result.stderr) == ["0 fixes would be made in 0 files, 0 findings left"]
    assert path.read_bytes() == CLEAN.encode()


def _apply_unified_diff(old: str, diff: str) -> str:
    """``old`` with the hunks of a one-file unified diff applied, strictly (no fuzz)."""
    old_lines = re.findall(r"[^\n]*\n|[^\n]+\Z", old)  # "\n" ends a line, "\x0c" does not
    out: list[str] = []
    at = 0
    body = diff.split("\n")[2:]  # past the ---/+++ lines
    hunk = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")
    for text in body:
        if not text:
            continue
        match = hunk.match(text)
        if match:
            start = int(match[1]) - 1 if match[2] != "0" else int(match[1])
            out.extend(old_lines[at:start])
            at = start
            continue
        sign, rest = text[0], text[1:] + "\n"
        if sign in " -":
            assert at < len(old_lines) and old_lines[at] == rest, (at, rest, old_lines[at:])
            at += 1
        if sign in " +":
            out.append(rest)
    out.extend(old_lines[at:])
    return "".join(out)


def test_diff_applies_cleanly_to_a_file_with_a_form_feed(tmp_path: Path) -> None:
    # A form feed on its own line (Emacs/GNU page breaks, found in the stdlib) is
    # part of one line.  The diff must count it as one line, or it does not apply
    # (GNU patch: "Hunk #1 FAILED at 1.").
    source = (
        "import os\n"
        "\x0c\n"
        "\n"
        "def deco(f):\n"
        "    def wrapper(*args, **kwargs):\n"
        "        return f(*args, **kwargs)\n"
        "    return wrapper\n"
    )
    path = write(tmp_path, "paged.py", source)
    diff = run_tool(TOOL, "--diff", "paged.py", cwd=tmp_path)
    assert diff.returncode == 1, diff.stderr
    assert path.read_bytes() == source.encode()
    fixed = run_tool(TOOL, "--fix", "paged.py", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    expected = path.read_bytes().decode()
    assert "\x0c\n" in expected
    # the old side of the hunk has as many lines as the file: 7, not 8
    assert lines(diff.stdout)[2] == "@@ -1,7 +1,9 @@", diff.stdout
    assert _apply_unified_diff(source, diff.stdout) == expected


def test_check_writes_nothing_and_exits_1_when_a_fix_would_change_something(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "deco.py")
    result = run_tool(TOOL, "--check", "deco.py", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 1, result.stderr
    assert lines(result.stderr) == ["1 fix would be made in 1 file, 0 findings left"]
    # --check lists the files a fix would change, without the diff
    assert lines(result.stdout) == ["would fix deco.py (1 fix)"]
    assert path.read_bytes() == MISSING_WRAPS.encode()
    assert_no_temporaries(tmp_path)


def test_check_exits_0_when_nothing_to_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "clean.py", CLEAN)
    result = run_tool(TOOL, "--check", "clean.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert lines(result.stderr) == ["0 fixes would be made in 0 files, 0 findings left"]
    assert path.read_bytes() == CLEAN.encode()


@pytest.mark.parametrize("flag", ["--check", "--diff"])
def test_check_and_diff_exit_0_with_only_an_unfixable_finding(tmp_path: Path, flag: str) -> None:
    # What the code does: in --check/--diff the exit status says whether a *fix*
    # would change the file (cli._exit_code looks at ``applied`` only).  A finding
    # whose fix is unsafe (the wrapper's signature is fixed: ``wrapper(request)``)
    # changes nothing without --unsafe-fixes, so the status is 0; the finding is
    # only counted in the summary ("1 finding left"), not printed.  Plain checking
    # still exits 1 on it.
    path = write(tmp_path, "views.py", REQUEST_WRAPPER)
    result = run_tool(TOOL, flag, "views.py", cwd=tmp_path)
    assert_no_traceback(result)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert lines(result.stderr) == ["0 fixes would be made in 0 files, 1 finding left"]
    assert path.read_bytes() == REQUEST_WRAPPER.encode()

    checked = run_tool(TOOL, "views.py", cwd=tmp_path)
    assert checked.returncode == 1
    assert lines(checked.stdout) == [f"views.py:2:5: {WRP001_REQUEST}"]

    unsafe = run_tool(TOOL, flag, "--unsafe-fixes", "views.py", cwd=tmp_path)
    assert unsafe.returncode == 1, unsafe.stderr
    assert lines(unsafe.stderr) == ["1 fix would be made in 1 file, 0 findings left"]
    assert path.read_bytes() == REQUEST_WRAPPER.encode()


# --- 3. --unsafe-fixes --------------------------------------------------------------------


def test_unsafe_fix_is_made_only_with_unsafe_fixes(tmp_path: Path) -> None:
    path = write(tmp_path, "deco.py", FIXED_SIGNATURE)
    safe = run_tool(TOOL, "--fix", "deco.py", cwd=tmp_path)
    assert_no_traceback(safe)
    assert safe.returncode == 1, safe.stderr
    assert lines(safe.stdout) == [f"deco.py:2:5: {WRP001_FIXED_SIGNATURE}"]
    assert lines(safe.stderr) == ["0 fixes in 0 files, 1 finding left"]
    assert path.read_bytes() == FIXED_SIGNATURE.encode()

    unsafe = run_tool(TOOL, "--fix", "--unsafe-fixes", "deco.py", cwd=tmp_path)
    assert_no_traceback(unsafe)
    assert unsafe.returncode == 0, unsafe.stderr
    assert unsafe.stdout == ""
    assert lines(unsafe.stderr) == ["1 fix in 1 file, 0 findings left"]
    assert path.read_bytes() == FIXED_SIGNATURE_FIXED.encode()
    assert_no_temporaries(tmp_path)


# --- 4. stdin ------------------------------------------------------------------------------


def test_fix_stdin_writes_the_fixed_module_to_stdout(tmp_path: Path) -> None:
    write(tmp_path, "on_disk.py")  # must not be touched: only stdin is fixed
    result = run_bytes(TOOL, "--fix", "-", cwd=tmp_path, stdin=MISSING_WRAPS.encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout == MISSING_WRAPS_FIXED.encode()
    assert result.stderr.decode().splitlines() == ["1 fix in 1 file, 0 findings left"]
    assert (tmp_path / "on_disk.py").read_bytes() == MISSING_WRAPS.encode()


def test_fix_stdin_keeps_crlf_bytes(tmp_path: Path) -> None:
    source = MISSING_WRAPS.replace("\n", "\r\n").encode()
    result = run_bytes(TOOL, "--fix", "-", cwd=tmp_path, stdin=source)
    assert result.returncode == 0, result.stderr
    assert result.stdout == MISSING_WRAPS_FIXED.replace("\n", "\r\n").encode()


def test_fix_stdin_with_an_unfixable_finding_echoes_the_input(tmp_path: Path) -> None:
    # stdout is the module (unchanged); the finding goes to stderr with the summary
    result = run_bytes(TOOL, "--fix", "-", cwd=tmp_path, stdin=REQUEST_WRAPPER.encode())
    assert result.returncode == 1, result.stderr
    assert result.stdout == REQUEST_WRAPPER.encode()
    assert result.stderr.decode().splitlines() == [
        f"-:2:5: {WRP001_REQUEST}",
        "0 fixes in 0 files, 1 finding left",
    ]


def test_fix_stdin_that_does_not_parse_echoes_the_input(tmp_path: Path) -> None:
    source = b"def broken(:\n    pass\n"
    result = run_bytes(TOOL, "--fix", "-", cwd=tmp_path, stdin=source)
    assert result.returncode == 2
    assert result.stdout == source
    errors = result.stderr.decode().splitlines()
    assert len(errors) == 2, errors
    assert errors[0].startswith("-: error: cannot parse"), errors
    assert errors[1] == "0 fixes in 0 files, 0 findings left"


def test_diff_stdin_prints_a_diff(tmp_path: Path) -> None:
    result = run_tool(TOOL, "--diff", "-", cwd=tmp_path, stdin=MISSING_WRAPS)
    assert result.returncode == 1, result.stderr
    assert result.stdout == MISSING_WRAPS_DIFF.format(path="-")
    assert lines(result.stderr) == ["1 fix would be made in 1 file, 0 findings left"]

    named = run_tool(
        TOOL, "--diff", "--stdin-filename", "pkg/deco.py", "-", cwd=tmp_path, stdin=MISSING_WRAPS
    )
    assert named.stdout == MISSING_WRAPS_DIFF.format(path="pkg/deco.py")
    assert not (tmp_path / "pkg").exists()


def test_check_stdin_prints_findings(tmp_path: Path) -> None:
    result = run_tool(TOOL, "-", cwd=tmp_path, stdin=MISSING_WRAPS)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [f"-:2:5: {WRP001_DECO}"]


# --- 5. never losing data -------------------------------------------------------------------


def test_read_only_file_is_an_error_and_the_other_file_is_still_fixed(tmp_path: Path) -> None:
    locked = write(tmp_path, "locked.py")
    locked.chmod(0o444)  # no owner write bit: read-only for the command, even as root
    good = write(tmp_path, "good.py")
    result = run_tool(TOOL, "--fix", "locked.py", "good.py", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2
    # the finding the fix could not write stays reported
    assert lines(result.stdout) == [f"locked.py:2:5: {WRP001_DECO}"]
    assert lines(result.stderr) == [
        "locked.py: error: cannot write: the file is read-only",
        "1 fix in 1 file, 1 finding left",
    ]
    assert locked.read_bytes() == MISSING_WRAPS.encode()
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert good.read_bytes() == MISSING_WRAPS_FIXED.encode()
    assert_no_temporaries(tmp_path)


def test_file_that_does_not_parse_is_an_error_and_the_other_file_is_fixed(
    tmp_path: Path,
) -> None:
    broken = write(tmp_path, "broken.py", b"def broken(:\n    pass\n")
    good = write(tmp_path, "good.py")
    result = run_tool(TOOL, "--fix", ".", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2
    errors, other = split_stderr(result)
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("./broken.py: error: cannot parse"), errors
    assert other == ["1 fix in 1 file, 0 findings left"]
    assert broken.read_bytes() == b"def broken(:\n    pass\n"
    assert good.read_bytes() == MISSING_WRAPS_FIXED.encode()
    assert_no_temporaries(tmp_path)


def test_file_mode_survives_a_fix(tmp_path: Path) -> None:
    script = write(tmp_path, "script.py")
    script.chmod(0o755)
    private = write(tmp_path, "private.py")
    private.chmod(0o600)
    result = run_tool(TOOL, "--fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert lines(result.stderr) == ["2 fixes in 2 files, 0 findings left"]
    for path, mode in ((script, 0o755), (private, 0o600)):
        assert path.read_bytes() == MISSING_WRAPS_FIXED.encode()
        assert stat.S_IMODE(path.stat().st_mode) == mode, path
    assert_no_temporaries(tmp_path)


def test_symlink_stays_a_link_and_its_target_is_fixed(tmp_path: Path) -> None:
    target = write(tmp_path, "real/target.py")
    link = tmp_path / "link.py"
    link.symlink_to(Path("real") / "target.py")
    result = run_tool(TOOL, "--fix", "link.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert lines(result.stderr) == ["1 fix in 1 file, 0 findings left"]
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("real", "target.py")
    assert target.read_bytes() == MISSING_WRAPS_FIXED.encode()
    assert not target.is_symlink()
    assert_no_temporaries(tmp_path)


def test_crlf_file_survives_a_fix_byte_for_byte(tmp_path: Path) -> None:
    source = (
        b'"""Doc."""\r\n'
        b"\r\n"
        b"import os\r\n"
        b"\r\n"
        b"\r\n"
        b"def deco(f):\r\n"
        b"    def wrapper(*args, **kwargs):\r\n"
        b"        return f(*args, **kwargs)\r\n"
        b"    return wrapper\r\n"
    )
    expected = (
        b'"""Doc."""\r\n'
        b"\r\n"
        b"import functools\r\n"
        b"import os\r\n"
        b"\r\n"
        b"\r\n"
        b"def deco(f):\r\n"
        b"    @functools.wraps(f)\r\n"
        b"    def wrapper(*args, **kwargs):\r\n"
        b"        return f(*args, **kwargs)\r\n"
        b"    return wrapper\r\n"
    )
    path = write(tmp_path, "crlf.py", source)
    result = run_tool(TOOL, "--fix", "crlf.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == expected


def test_latin1_file_with_a_coding_cookie_survives_a_fix_byte_for_byte(tmp_path: Path) -> None:
    source = (
        b"# -*- coding: latin-1 -*-\n"
        b"GREETING = 'caf\xe9'\n"
        b"\n"
        b"\n"
        b"def deco(f):\n"
        b"    def wrapper(*args, **kwargs):  # \xe9t\xe9\n"
        b"        return f(*args, **kwargs)\n"
        b"    return wrapper\n"
    )
    expected = (
        b"# -*- coding: latin-1 -*-\n"
        b"import functools\n"
        b"\n"
        b"GREETING = 'caf\xe9'\n"
        b"\n"
        b"\n"
        b"def deco(f):\n"
        b"    @functools.wraps(f)\n"
        b"    def wrapper(*args, **kwargs):  # \xe9t\xe9\n"
        b"        return f(*args, **kwargs)\n"
        b"    return wrapper\n"
    )
    path = write(tmp_path, "latin.py", source)
    result = run_tool(TOOL, "--fix", "latin.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == expected


def test_bom_file_survives_a_fix_byte_for_byte(tmp_path: Path) -> None:
    source = (
        b"\xef\xbb\xbfimport os\n"
        b"\n"
        b"\n"
        b"def deco(f):\n"
        b"    def wrapper(*args, **kwargs):\n"
        b"        return f(*args, **kwargs)\n"
        b"    return wrapper\n"
    )
    expected = (
        b"\xef\xbb\xbfimport functools\n"
        b"import os\n"
        b"\n"
        b"\n"
        b"def deco(f):\n"
        b"    @functools.wraps(f)\n"
        b"    def wrapper(*args, **kwargs):\n"
        b"        return f(*args, **kwargs)\n"
        b"    return wrapper\n"
    )
    path = write(tmp_path, "bom.py", source)
    result = run_tool(TOOL, "--fix", "bom.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == expected


def test_bad_inputs_in_fix_mode_are_one_line_each_and_left_byte_identical(
    tmp_path: Path,
) -> None:
    write(tmp_path, "pkg/nul.py", b"x = 1\n\x00\x00y = 2\n")
    write(tmp_path, "pkg/undecodable.py", b'x = "caf\xe9"\n')
    write(tmp_path, "pkg/x.py/inner.py")  # a directory named like a module: walked
    (tmp_path / "pkg" / "dangling.py").symlink_to(tmp_path / "pkg" / "gone.py")
    write(tmp_path, "pkg/good.py")
    before = snapshot(tmp_path)

    for args in (["pkg"], ["pkg/nul.py", "pkg/undecodable.py", "pkg/dangling.py", "pkg/x.py"]):
        result = run_tool(TOOL, "--fix", *args, cwd=tmp_path)
        assert_no_traceback(result)
        assert result.returncode == 2
        assert result.stdout == ""
        errors, other = split_stderr(result)
        assert error_paths(errors) == ["pkg/dangling.py", "pkg/nul.py", "pkg/undecodable.py"]
        assert "null bytes" in next(e for e in errors if e.startswith("pkg/nul.py"))
        assert "symbolic link" in next(e for e in errors if e.startswith("pkg/dangling.py"))
        assert len(other) == 1 and SUMMARY.match(other[0]), result.stderr
        assert other[0].endswith(", 0 findings left")
        assert (tmp_path / "pkg" / "dangling.py").is_symlink()
        assert not (tmp_path / "pkg" / "gone.py").exists()
        assert_no_temporaries(tmp_path)

    after = snapshot(tmp_path)
    fixed = {"pkg/good.py", "pkg/x.py/inner.py"}
    assert {k: v for k, v in after.items() if k not in fixed} == {
        k: v for k, v in before.items() if k not in fixed
    }
    assert after["pkg/x.py/inner.py"] == MISSING_WRAPS_FIXED.encode()
    assert after["pkg/good.py"] == MISSING_WRAPS_FIXED.encode()


# --- 6. the fixer's own safety checks (in-process) ----------------------------------------


def test_a_change_outside_the_edited_lines_leaves_the_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "deco.py")
    good = write(tmp_path, "other.py", ABOVE_ROUTE)
    calls: list[tuple[bytes, bytes]] = []

    def disagree(old, new, replaced, inserted):  # type: ignore[no-untyped-def]
        calls.append((old, new))
        return "the fix changed line 1, outside the lines it edits"

    monkeypatch.setattr(engine, "changes_outside", disagree)
    monkeypatch.chdir(tmp_path)
    status = cli.main(["--fix", "-j", "1", "deco.py", "other.py"])
    captured = capsys.readouterr()
    assert status == 2
    assert calls, "the verification was not consulted"
    # the findings the refused fixes were for stay reported
    assert [line.split(": ")[0] for line in lines(captured.out)] == [
        "deco.py:2:5",
        "other.py:16:1",
    ]
    assert captured.err.splitlines() == [
        "deco.py: error: fix not applied: the fix changed line 1, outside the lines it "
        "edits; file left as it was",
        "other.py: error: fix not applied: the fix changed line 1, outside the lines it "
        "edits; file left as it was",
        "0 fixes in 0 files, 2 findings left",
    ]
    assert path.read_bytes() == MISSING_WRAPS.encode()
    assert good.read_bytes() == ABOVE_ROUTE.encode()
    assert_no_temporaries(tmp_path)


def _stuck_apply(path, source, tree, findings, edits, options, settings):  # type: ignore[no-untyped-def]
    """Claim every edit was applied while changing nothing: the fixes never settle."""
    return source, tree, findings, list(edits)


def test_fixes_that_never_settle_give_an_error_and_the_original_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "_apply", _stuck_apply)
    source = MISSING_WRAPS.encode()
    outcome = fix_source("deco.py", source, Options(), FixSettings())
    assert outcome.error is not None
    assert "did not settle" in outcome.error.reason
    assert str(outcome.error).startswith("deco.py: error: fixes did not settle after")
    assert outcome.fixed == source
    assert not outcome.changed
    assert outcome.applied == 0
    assert [f.code for f in outcome.findings] == ["WRP001"]


def test_fixes_that_never_settle_exit_2_through_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "deco.py")
    monkeypatch.setattr(engine, "_apply", _stuck_apply)
    monkeypatch.chdir(tmp_path)
    status = cli.main(["--fix", "-j", "1", "deco.py"])
    captured = capsys.readouterr()
    assert status == 2
    assert lines(captured.out) == [f"deco.py:2:5: {WRP001_DECO}"]
    assert captured.err.splitlines() == [
        f"deco.py: error: fixes did not settle after {engine.MAX_PASSES} passes; "
        "file left as it was",
        "0 fixes in 0 files, 1 finding left",
    ]
    assert path.read_bytes() == MISSING_WRAPS.encode()
    assert_no_temporaries(tmp_path)


# --- 7. many files: the parallel path --------------------------------------------------------


def test_parallel_fix_gives_the_same_bytes_and_summary_as_serial(tmp_path: Path) -> None:
    serial_root, parallel_root = tmp_path / "serial", tmp_path / "parallel"
    expected: dict[str, bytes] = {}
    for index in range(120):
        relative = f"pkg{index % 4}/mod_{index:03d}.py"
        source, fixed = (
            (MISSING_WRAPS, MISSING_WRAPS_FIXED),
            (ABOVE_ROUTE, ABOVE_ROUTE_FIXED),
            (CLEAN, CLEAN),
        )[index % 3]
        write(serial_root, relative, source)
        expected[relative] = fixed.encode()
    write(serial_root, "pkg1/unsafe.py", FIXED_SIGNATURE)
    expected["pkg1/unsafe.py"] = FIXED_SIGNATURE.encode()
    shutil.copytree(serial_root, parallel_root)

    serial = run_tool(TOOL, "--fix", "-j", "1", ".", cwd=serial_root)
    parallel = run_tool(TOOL, "--fix", "-j", "2", ".", cwd=parallel_root)
    assert_no_traceback(parallel)
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout
    assert lines(parallel.stdout) == [f"./pkg1/unsafe.py:2:5: {WRP001_FIXED_SIGNATURE}"]
    assert parallel.stderr == serial.stderr
    assert lines(parallel.stderr) == ["80 fixes in 80 files, 1 finding left"]
    assert snapshot(serial_root) == expected
    assert snapshot(parallel_root) == expected
    assert_no_temporaries(tmp_path)
