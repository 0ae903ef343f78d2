"""``--write-baseline FILE`` and ``--baseline FILE``: report only the findings that are new.

Each test builds a small tree in ``tmp_path``, records its findings with the installed
command in a subprocess (:func:`conftest.run_tool`), edits the tree the way a project
changes (lines inserted above, a function renamed, a finding's line edited, a
finding added), and checks what the command reports then, its exit status and the
line it writes about the baseline.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import MISSING_WRAPS, ROOT, WRP001_DECO, assert_no_traceback, lines, run_tool, write

TOOL = "flake8-wraps"

VIEWS = """\
import functools

from flask import Flask

app = Flask(__name__)


def login_required(view):
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


def helper():
    return 1


class Api:
    def timed(self, f):
        def inner(*args, **kwargs):
            return f(*args, **kwargs)
        return inner


@login_required
@app.route("/admin")
def admin():
    return "admin"


@login_required
@app.route("/users")
def users():
    return "users"
"""
# what VIEWS reports, as (line, code)
VIEWS_FINDINGS = [(9, "WRP001"), (20, "WRP001"), (25, "WRP101"), (31, "WRP101")]
VIEWS_BASELINE = [
    {
        "code": "WRP001",
        "path": "app/views.py",
        "scope": "Api.timed",
        "text": "def inner(*args, **kwargs):",
        "count": 1,
    },
    {
        "code": "WRP001",
        "path": "app/views.py",
        "scope": "login_required",
        "text": "def wrapper(*args, **kwargs):",
        "count": 1,
    },
    {
        "code": "WRP101",
        "path": "app/views.py",
        "scope": "",
        "text": "@login_required",
        "count": 2,
    },
]

NEW_VIEW = """

@login_required
@app.route("/orders")
def orders():
    return "orders"
"""
WRP101_LOGIN = (
    "WRP101 '@login_required' is above '@app.route': the route registers the "
    "undecorated view, so 'login_required' never runs"
)


def _reported(output: str) -> list[tuple[str, int, str]]:
    found = []
    for line in lines(output):
        path, number, _, rest = line.split(":", 3)
        found.append((path, int(number), rest.split()[0]))
    return found


def _recorded(tmp_path: Path) -> Path:
    """The VIEWS tree, its findings recorded in ``baseline.json`` at its root."""
    path = write(tmp_path, "app/views.py", VIEWS)
    result = run_tool(TOOL, "--write-baseline", "baseline.json", "app", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert lines(result.stderr) == ["4 findings recorded in the baseline baseline.json"]
    return path


def test_write_baseline_records_every_finding_and_baseline_hides_them(tmp_path: Path) -> None:
    write(tmp_path, "app/views.py", VIEWS)
    before = run_tool(TOOL, "app", cwd=tmp_path)
    assert _reported(before.stdout) == [("app/views.py", n, c) for n, c in VIEWS_FINDINGS]
    _recorded(tmp_path)
    document = json.loads((tmp_path / "baseline.json").read_text())
    assert document == {"version": 1, "tool": "flake8-wraps", "findings": VIEWS_BASELINE}
    result = run_tool(TOOL, "--baseline", "baseline.json", "app", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert lines(result.stderr) == ["4 findings in the baseline baseline.json not reported"]


def test_edits_that_move_lines_keep_old_findings_quiet_and_new_ones_are_reported(
    tmp_path: Path,
) -> None:
    path = _recorded(tmp_path)
    moved = (
        VIEWS.replace("import functools\n", "import functools\nimport os\nimport sys\n")
        .replace("def helper():", "def renamed_helper():")
        .replace("class Api:", "# the public API\n\n\nclass Api:")
        + NEW_VIEW
        + "\n\n"
        + MISSING_WRAPS
    )
    path.write_text(moved)
    result = run_tool(TOOL, "--baseline", "baseline.json", "app", cwd=tmp_path)
    assert result.returncode == 1
    # the third '@login_required' has the fingerprint of the two recorded: the latest is new
    assert lines(result.stdout) == [
        f"app/views.py:42:1: {WRP101_LOGIN}",
        f"app/views.py:49:5: {WRP001_DECO}",
    ]
    assert lines(result.stderr) == ["4 findings in the baseline baseline.json not reported"]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        # the finding's own line changes, a comment added included: it is new
        ("    def wrapper(*args, **kwargs):", "    def wrapper(*args: int, **kwargs: int):", 9),
        ("    def wrapper(*args, **kwargs):", "    def wrapper(*args, **kwargs):  # TODO", 9),
        # the definition around it is renamed: it is new
        ("def login_required(view):", "def needs_login(view):", 9),
    ],
    ids=["line edited", "comment added", "enclosing function renamed"],
)
def test_a_finding_whose_line_or_scope_changes_is_new(
    tmp_path: Path, old: str, new: str, line: int
) -> None:
    path = _recorded(tmp_path)
    path.write_text(VIEWS.replace(old, new))
    result = run_tool(TOOL, "--baseline", "baseline.json", "app", cwd=tmp_path)
    assert result.returncode == 1
    assert _reported(result.stdout) == [("app/views.py", line, "WRP001")]


def test_the_baseline_reads_the_same_from_another_folder(tmp_path: Path) -> None:
    """Paths are relative to the baseline file's folder, not to the current one."""
    _recorded(tmp_path)
    result = run_tool(TOOL, "--baseline", "../baseline.json", ".", cwd=tmp_path / "app")
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    absolute = run_tool(
        TOOL, "--baseline", str(tmp_path / "baseline.json"), str(tmp_path), cwd=tmp_path / "app"
    )
    assert (absolute.returncode, absolute.stdout) == (0, ""), absolute.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline missing.json: no such file"),
        ("{not json", "baseline missing.json: not valid JSON"),
        ("[]", "baseline missing.json: not a baseline file (no version)"),
        (
            '{"version": 2, "findings": []}',
            "baseline missing.json: version 2 is not supported (this version of "
            "flake8-wraps reads version 1); write it again with --write-baseline",
        ),
        ('{"version": 1, "findings": {}}', "baseline missing.json: 'findings' must be a list"),
        (
            '{"version": 1, "findings": [{"code": "WRP001", "path": "a.py", "count": 1}]}',
            "baseline missing.json: finding 1 must have the strings code, path, scope and "
            "text and a positive count",
        ),
        (b"\xff\xfe\x00", "baseline missing.json: not valid JSON"),
        ("folder", "baseline missing.json: is a directory"),
    ],
    ids=["missing", "not json", "no version", "version", "not a list", "bad entry", "bytes", "dir"],
)
def test_a_bad_baseline_file_is_one_error_line(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    write(tmp_path, "mod.py")
    if content == "folder":
        (tmp_path / "missing.json").mkdir()
    elif content is not None:
        write(tmp_path, "missing.json", content)
    result = run_tool(TOOL, "--baseline", "missing.json", "mod.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert lines(result.stderr) == [f"flake8-wraps: error: {message}"]
    assert_no_traceback(result)


def test_a_baseline_that_cannot_be_written_is_one_error_line(tmp_path: Path) -> None:
    write(tmp_path, "mod.py")
    result = run_tool(TOOL, "--write-baseline", "no/such/folder/b.json", "mod.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert lines(result.stderr) == [
        "flake8-wraps: error: baseline no/such/folder/b.json: cannot write: "
        "No such file or directory"
    ]
    assert_no_traceback(result)


@pytest.mark.parametrize("flag", ["--fix", "--diff", "--check", "--add-noqa"])
def test_write_baseline_is_a_mode_of_its_own(tmp_path: Path, flag: str) -> None:
    path = write(tmp_path, "mod.py")
    result = run_tool(TOOL, "--write-baseline", "b.json", flag, "mod.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert lines(result.stderr) == [
        f"flake8-wraps: error: --write-baseline cannot be used with {flag}"
    ]
    assert path.read_text() == MISSING_WRAPS
    assert not (tmp_path / "b.json").exists()


def test_a_configured_baseline_is_written_without_being_read_and_can_be_ignored(
    tmp_path: Path,
) -> None:
    write(tmp_path, "mod.py")
    write(tmp_path, "pyproject.toml", '[tool.flake8-wraps]\nbaseline = "accepted.json"\n')
    missing = run_tool(TOOL, "mod.py", cwd=tmp_path)
    assert missing.returncode == 2
    assert lines(missing.stderr) == ["flake8-wraps: error: baseline accepted.json: no such file"]
    written = run_tool(TOOL, "--write-baseline", "accepted.json", "mod.py", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    quiet = run_tool(TOOL, "mod.py", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout) == (0, "")
    assert lines(quiet.stderr) == ["1 finding in the baseline accepted.json not reported"]
    # --no-baseline reports, and fixes, every finding again
    loud = run_tool(TOOL, "--no-baseline", "mod.py", cwd=tmp_path)
    assert (loud.returncode, lines(loud.stdout), loud.stderr) == (
        1,
        [f"mod.py:2:5: {WRP001_DECO}"],
        "",
    )
    fixed = run_tool(TOOL, "--no-baseline", "--fix", "mod.py", cwd=tmp_path)
    assert lines(fixed.stderr) == ["1 fix in 1 file, 0 findings left"]


FIXABLE_TWICE = MISSING_WRAPS + "\n\n" + MISSING_WRAPS.replace("deco", "other")
FIXED_OTHER_ONLY = (
    "import functools\n\n\n"
    + MISSING_WRAPS
    + "\n\n"
    + MISSING_WRAPS.replace("deco", "other").replace(
        "    def wrapper", "    @functools.wraps(f)\n    def wrapper"
    )
)


def test_fix_with_a_baseline_fixes_only_the_new_findings(tmp_path: Path) -> None:
    path = write(tmp_path, "mod.py", MISSING_WRAPS)
    recorded = run_tool(TOOL, "--write-baseline", "b.json", "mod.py", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    path.write_text(FIXABLE_TWICE)
    result = run_tool(TOOL, "--fix", "--baseline", "b.json", "mod.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert lines(result.stderr) == [
        "1 finding in the baseline b.json not reported",
        "1 fix in 1 file, 0 findings left",
    ]
    assert path.read_text() == FIXED_OTHER_ONLY
    # without the baseline the recorded finding is still there, and --fix fixes it
    assert _reported(run_tool(TOOL, "mod.py", cwd=tmp_path).stdout) == [("mod.py", 5, "WRP001")]


def test_add_noqa_with_a_baseline_comments_only_the_new_findings(tmp_path: Path) -> None:
    path = write(tmp_path, "mod.py", MISSING_WRAPS)
    run_tool(TOOL, "--write-baseline", "b.json", "mod.py", cwd=tmp_path)
    path.write_text(FIXABLE_TWICE)
    result = run_tool(TOOL, "--add-noqa", "--baseline", "b.json", "mod.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert lines(result.stderr) == [
        "1 finding in the baseline b.json not reported",
        "1 noqa comment added to 1 file, 0 findings left",
    ]
    assert path.read_text() == FIXABLE_TWICE.replace(
        "kwargs):\n        return f(*args, **kwargs)\n    return wrapper\n",
        "kwargs):  # noqa: WRP001\n        return f(*args, **kwargs)\n    return wrapper\n",
    ).replace("  # noqa: WRP001", "", 1)


def test_fix_with_a_baseline_in_worker_processes_is_the_same(tmp_path: Path) -> None:
    trees = [tmp_path / "serial", tmp_path / "parallel"]
    for root in trees:
        for number in range(60):
            write(root, f"pkg/m{number:02}.py", MISSING_WRAPS)
        recorded = run_tool(TOOL, "--write-baseline", "b.json", "pkg", cwd=root)
        assert recorded.returncode == 0, recorded.stderr
        for number in range(0, 60, 2):
            (root / f"pkg/m{number:02}.py").write_text(FIXABLE_TWICE)
    serial = run_tool(TOOL, "--fix", "--baseline", "b.json", "-j", "1", "pkg", cwd=trees[0])
    parallel = run_tool(TOOL, "--fix", "--baseline", "b.json", "-j", "2", "pkg", cwd=trees[1])
    assert serial.returncode == parallel.returncode == 0, parallel.stderr
    assert (
        lines(serial.stderr)
        == lines(parallel.stderr)
        == [
            "60 findings in the baseline b.json not reported",
            "30 fixes in 30 files, 0 findings left",
        ]
    )
    for number in range(60):
        name = f"pkg/m{number:02}.py"
        assert (trees[0] / name).read_text() == (trees[1] / name).read_text()
        expected = FIXED_OTHER_ONLY if number % 2 == 0 else MISSING_WRAPS
        assert (trees[0] / name).read_text() == expected


def test_the_cache_keeps_every_finding_and_the_baseline_applies_after_it(tmp_path: Path) -> None:
    path = _recorded(tmp_path)
    path.write_text(VIEWS + NEW_VIEW)
    cold = run_tool(TOOL, "--baseline", "baseline.json", "app", cwd=tmp_path, cache=True)
    warm = run_tool(TOOL, "--baseline", "baseline.json", "app", cwd=tmp_path, cache=True)
    assert (warm.returncode, warm.stdout, warm.stderr) == (
        cold.returncode,
        cold.stdout,
        cold.stderr,
    )
    assert _reported(warm.stdout) == [("app/views.py", 37, "WRP101")]
    # the cache was written (and is read) with every finding, whatever the baseline hid
    assert list((tmp_path / ".flake8_wraps_cache").glob("*.cache"))
    everything = run_tool(TOOL, "app", cwd=tmp_path, cache=True)
    assert _reported(everything.stdout) == [
        *(("app/views.py", n, c) for n, c in VIEWS_FINDINGS),
        ("app/views.py", 37, "WRP101"),
    ]


APP = "from flask import Flask\n\napp = Flask(__name__)\n"
VIEW = "from app import app\n\n\n@app.route('/{name}')\ndef index():\n    return '{name}'\n"


def test_an_endpoint_clash_between_modules_is_recorded_and_hidden(tmp_path: Path) -> None:
    write(tmp_path, "app.py", APP)
    write(tmp_path, "first.py", VIEW.format(name="first"))
    second = write(tmp_path, "second.py", VIEW.format(name="second"))
    recorded = run_tool(TOOL, "--write-baseline", "b.json", ".", cwd=tmp_path)
    assert lines(recorded.stderr) == ["1 finding recorded in the baseline b.json"]
    (entry,) = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert entry == {
        "code": "WRP102",
        "path": "second.py",
        "scope": "",
        "text": "@app.route('/second')",
        "count": 1,
    }
    second.write_text("import os\n" + VIEW.format(name="second"))
    result = run_tool(TOOL, "--baseline", "b.json", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


# --- SARIF ---------------------------------------------------------------------------


def _results(output: str) -> list[dict[str, Any]]:
    """The results of a SARIF log, validated against the SARIF 2.1.0 schema."""
    schema = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text("utf-8"))
    log = json.loads(output)
    errors = [error.message for error in jsonschema.Draft4Validator(schema).iter_errors(log)]
    assert errors == []
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def _line(result: dict[str, Any]) -> int:
    line: int = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    return line


def test_sarif_fingerprints_survive_moved_lines_and_count_duplicates(tmp_path: Path) -> None:
    path = write(tmp_path, "app/views.py", VIEWS)
    before = _results(run_tool(TOOL, "--format", "sarif", "app", cwd=tmp_path).stdout)
    assert all("baselineState" not in result for result in before)
    prints = [result["partialFingerprints"]["flake8-wraps/v1"] for result in before]
    assert [p.rsplit(":", 1)[1] for p in prints] == ["1", "1", "1", "2"]
    assert prints[2].split(":")[0] == prints[3].split(":")[0]  # two '@login_required'
    assert len({p.split(":")[0] for p in prints}) == 3
    path.write_text("import os\n\n\n" + VIEWS)
    after = _results(run_tool(TOOL, "--format", "sarif", "app", cwd=tmp_path).stdout)
    assert [_line(r) for r in after] == [_line(r) + 3 for r in before]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]


def test_sarif_with_a_baseline_marks_each_result_new_or_unchanged(tmp_path: Path) -> None:
    path = _recorded(tmp_path)
    path.write_text(VIEWS + NEW_VIEW)
    result = run_tool(TOOL, "--format", "sarif", "--baseline", "baseline.json", "app", cwd=tmp_path)
    assert result.returncode == 1
    assert lines(result.stderr) == ["4 findings in the baseline baseline.json marked unchanged"]
    states = [(_line(r), r["ruleId"], r["baselineState"]) for r in _results(result.stdout)]
    assert states == [
        (9, "WRP001", "unchanged"),
        (20, "WRP001", "unchanged"),
        (25, "WRP101", "unchanged"),
        (31, "WRP101", "unchanged"),
        (37, "WRP101", "new"),
    ]


def test_json_with_a_baseline_lists_only_the_new_findings(tmp_path: Path) -> None:
    path = _recorded(tmp_path)
    path.write_text(VIEWS + NEW_VIEW)
    result = run_tool(TOOL, "--format", "json", "--baseline", "baseline.json", "app", cwd=tmp_path)
    assert result.returncode == 1
    assert [(i["line"], i["code"]) for i in json.loads(result.stdout)] == [(37, "WRP101")]


def test_a_baseline_file_written_twice_is_the_same(tmp_path: Path) -> None:
    _recorded(tmp_path)
    first = (tmp_path / "baseline.json").read_bytes()
    os.chmod(tmp_path / "baseline.json", 0o640)
    again = run_tool(TOOL, "--write-baseline", "baseline.json", "app", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "baseline.json").read_bytes() == first
    assert os.stat(tmp_path / "baseline.json").st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
