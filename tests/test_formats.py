"""The command's output formats: ``--format json``, ``sarif`` and ``github``.

The command runs in a subprocess (:func:`conftest.run_tool`) on small trees in
``tmp_path``; SARIF logs are validated against the official SARIF 2.1.0 schema
(``tests/data``, draft-04) with jsonschema; the GitHub escaping functions are also
checked in-process.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import urllib.parse
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from flake8_wraps import __version__
from flake8_wraps.command import output
from flake8_wraps.model import Finding
from flake8_wraps.registry import BY_CODE, RULES

from conftest import FIXTURES, MISSING_WRAPS, ROOT, assert_no_traceback, lines, run_tool, write

TOOL = "flake8-wraps"
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
FORMATS = ("text", "json", "sarif", "github")

# --- sources -------------------------------------------------------------------------

# WRP001 at 2:5, the name 'wrapper' ends at column 16 (exclusive); a safe fix
WRP001_MESSAGE = (
    "decorator 'deco' returns 'wrapper' without functools.wraps(f): "
    "the decorated function loses __name__, __doc__ and __wrapped__"
)

# WRP001 whose fix is unsafe: wraps would change the visible signature
FIXED_SIGNATURE = (
    "def deco(func):\n    def wrapper(x, y):\n        return func(x, y)\n    return wrapper\n"
)
WRP001_UNSAFE_MESSAGE = (
    "decorator 'deco' returns 'wrapper' without functools.wraps(func): "
    "the decorated function loses __name__, __doc__ and __wrapped__"
)

# WRP007 (no fix) on the decorator line 11, '@check' spans columns 1-6
DROPS_ARGUMENTS = """\
import functools


def check(view):
    @functools.wraps(view)
    def wrapper():
        return view()
    return wrapper


@check
def show(id):
    return id
"""
WRP007_MESSAGE = (
    "the wrapper of '@check' does not accept 'id', which 'show' requires: "
    "every call of the decorated function raises TypeError"
)

# WRP102 whose message quotes an endpoint name holding %, ',', ':' and a newline
ENDPOINT = """\
from flask import Flask

app = Flask(__name__)


@app.route("/a", endpoint="100%, done: yes\\nnext")
def first():
    return "a"


@app.route("/b", endpoint="100%, done: yes\\nnext")
def second():
    return "b"
"""

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


# --- helpers -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def assert_valid_sarif(text: str) -> dict[str, Any]:
    log = json.loads(text)
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    return log


def the_run(log: dict[str, Any]) -> dict[str, Any]:
    run: dict[str, Any] = log["runs"][0]
    return run


def region_of(result: dict[str, Any]) -> tuple[str, int, int, int, int]:
    location = result["locations"][0]["physicalLocation"]
    region = location["region"]
    return (
        location["artifactLocation"]["uri"],
        region["startLine"],
        region["startColumn"],
        region["endLine"],
        region["endColumn"],
    )


def three_findings(root: Path) -> None:
    write(root, "deco.py")
    write(root, "unsafe.py", FIXED_SIGNATURE)
    write(root, "w7.py", DROPS_ARGUMENTS)


# --- json ----------------------------------------------------------------------------


def test_json_gives_exact_fields_for_safe_unsafe_and_unfixable_findings(tmp_path: Path) -> None:
    three_findings(tmp_path)
    result = run_tool(TOOL, "--format", "json", "w7.py", "unsafe.py", "deco.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == [
        {
            "code": "WRP001",
            "name": "missing-wraps",
            "message": WRP001_MESSAGE,
            "path": "deco.py",
            "line": 2,
            "column": 5,
            "end_line": 2,
            "end_column": 16,
            "fix": {"available": True, "safety": "safe"},
        },
        {
            "code": "WRP001",
            "name": "missing-wraps",
            "message": WRP001_UNSAFE_MESSAGE,
            "path": "unsafe.py",
            "line": 2,
            "column": 5,
            "end_line": 2,
            "end_column": 16,
            "fix": {"available": True, "safety": "unsafe"},
        },
        {
            "code": "WRP007",
            "name": "wrapper-drops-arguments",
            "message": WRP007_MESSAGE,
            "path": "w7.py",
            "line": 11,
            "column": 1,
            "end_line": 11,
            "end_column": 7,
            "fix": None,
        },
    ]


def test_json_agrees_with_text_on_every_fixture(tmp_path: Path) -> None:
    shutil.copytree(
        FIXTURES, tmp_path / "fixtures", ignore=shutil.ignore_patterns("fix", "projects")
    )
    text = run_tool(TOOL, "fixtures", cwd=tmp_path)
    as_json = run_tool(TOOL, "--format=json", "fixtures", cwd=tmp_path)
    assert text.returncode == as_json.returncode == 1, as_json.stderr
    assert as_json.stderr == text.stderr == ""
    items = json.loads(as_json.stdout)
    assert {item["code"] for item in items} == {rule.code for rule, _ in RULES}  # all checked
    rebuilt = [
        f"{item['path']}:{item['line']}:{item['column']}: {item['code']} {item['message']}"
        for item in items
    ]
    assert rebuilt == lines(text.stdout)
    for item in items:
        rule = BY_CODE[item["code"]]
        assert item["name"] == rule.name
        assert not item["message"].startswith(item["code"])
        assert (item["end_line"], item["end_column"]) > (item["line"], item["column"]), item
        if rule.fix_safety is None:
            assert item["fix"] is None, item
        elif item["fix"] is not None:
            assert item["fix"]["available"] is True
            assert item["fix"]["safety"] in ("safe", "unsafe")


def test_json_of_a_clean_run_is_an_empty_list(tmp_path: Path) -> None:
    write(tmp_path, "clean.py", CLEAN)
    result = run_tool(TOOL, "--format=json", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == []


def test_json_after_fix_lists_what_is_left(tmp_path: Path) -> None:
    three_findings(tmp_path)
    result = run_tool(TOOL, "--fix", "--format=json", "deco.py", "w7.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert lines(result.stderr) == ["1 fix in 1 file, 1 finding left"]
    assert [(item["path"], item["code"]) for item in json.loads(result.stdout)] == [
        ("w7.py", "WRP007")
    ]


# --- sarif ---------------------------------------------------------------------------


def test_sarif_with_findings_is_valid_and_points_at_the_rules(tmp_path: Path) -> None:
    three_findings(tmp_path)
    result = run_tool(TOOL, "--format", "sarif", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    run = the_run(assert_valid_sarif(result.stdout))
    driver = run["tool"]["driver"]
    assert driver["name"] == "flake8-wraps"
    assert driver["version"] == __version__
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule, _ in RULES]
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["invocations"][0]["toolExecutionNotifications"] == []
    summary = [
        (r["ruleId"], rules[r["ruleIndex"]]["id"], r["level"], r["message"]["text"], region_of(r))
        for r in run["results"]
    ]
    assert summary == [
        ("WRP001", "WRP001", "warning", WRP001_MESSAGE, ("deco.py", 2, 5, 2, 16)),
        ("WRP001", "WRP001", "warning", WRP001_UNSAFE_MESSAGE, ("unsafe.py", 2, 5, 2, 16)),
        ("WRP007", "WRP007", "warning", WRP007_MESSAGE, ("w7.py", 11, 1, 11, 7)),
    ]


def test_sarif_agrees_with_json_on_every_fixture(tmp_path: Path) -> None:
    shutil.copytree(
        FIXTURES, tmp_path / "fixtures", ignore=shutil.ignore_patterns("fix", "projects")
    )
    sarif = run_tool(TOOL, "--format=sarif", "fixtures", cwd=tmp_path)
    as_json = run_tool(TOOL, "--format=json", "fixtures", cwd=tmp_path)
    assert sarif.returncode == as_json.returncode == 1, sarif.stderr
    run = the_run(assert_valid_sarif(sarif.stdout))
    rules = run["tool"]["driver"]["rules"]
    got = []
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        uri, line, col, end_line, end_col = region_of(result)
        assert (end_line, end_col) >= (line, col)
        got.append((uri, line, col, end_line, end_col, result["ruleId"], result["message"]["text"]))
    expected = [
        (
            posixpath.normpath(item["path"]),
            item["line"],
            item["column"],
            item["end_line"],
            item["end_column"],
            item["code"],
            item["message"],
        )
        for item in json.loads(as_json.stdout)
    ]
    assert got == expected


def test_sarif_of_a_clean_run_is_valid_and_empty(tmp_path: Path) -> None:
    write(tmp_path, "clean.py", CLEAN)
    result = run_tool(TOOL, "--format=sarif", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    run = the_run(assert_valid_sarif(result.stdout))
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
    assert len(run["tool"]["driver"]["rules"]) == len(RULES)


def test_sarif_file_error_is_a_tool_execution_notification(tmp_path: Path) -> None:
    write(tmp_path, "broken.py", "def broken(:\n")
    write(tmp_path, "deco.py")
    result = run_tool(TOOL, "--format=sarif", "broken.py", "missing.py", "deco.py", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2
    run = the_run(assert_valid_sarif(result.stdout))
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notifications = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notifications] == ["error", "error"]
    assert [n["message"]["text"] for n in notifications] == lines(result.stderr)
    assert [region_of(r)[0] for r in run["results"]] == ["deco.py"]


URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")


@pytest.mark.parametrize("relative", ["sp ace/a#b.py", "d,x:y/m%.py"])
def test_sarif_uri_is_a_valid_relative_uri_reference(tmp_path: Path, relative: str) -> None:
    # SARIF 3.10.2 / the schema's "format": "uri-reference": spaces, '#' and '%'
    # must be percent-encoded, and a first segment with ':' would read as a scheme
    write(tmp_path, relative)
    result = run_tool(TOOL, "--format=sarif", relative, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    run = the_run(assert_valid_sarif(result.stdout))
    (finding,) = run["results"]
    uri = region_of(finding)[0]
    assert URI_REFERENCE.fullmatch(uri), uri
    assert ":" not in uri.split("/", 1)[0], uri
    assert posixpath.normpath(urllib.parse.unquote(uri)) == relative


def test_sarif_uri_of_an_absolute_path_is_relative_to_the_current_folder(tmp_path: Path) -> None:
    path = write(tmp_path, "pkg/deco.py")
    result = run_tool(TOOL, "--format=sarif", str(path), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    (finding,) = the_run(assert_valid_sarif(result.stdout))["results"]
    location = finding["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "pkg/deco.py", "uriBaseId": "%SRCROOT%"}


# --- github --------------------------------------------------------------------------


def test_github_prints_one_annotation_per_finding(tmp_path: Path) -> None:
    three_findings(tmp_path)
    result = run_tool(TOOL, "--format", "github", "deco.py", "w7.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert lines(result.stdout) == [
        "::warning file=deco.py,line=2,col=5,endLine=2,endColumn=16,"
        f"title=WRP001 missing-wraps::WRP001 {WRP001_MESSAGE}",
        "::warning file=w7.py,line=11,col=1,endLine=11,endColumn=7,"
        f"title=WRP007 wrapper-drops-arguments::WRP007 {WRP007_MESSAGE}",
    ]


def test_github_escapes_the_path_and_the_message(tmp_path: Path) -> None:
    write(tmp_path, "d,x:y/m%.py")
    write(tmp_path, "views.py", ENDPOINT)
    result = run_tool(TOOL, "--format=github", "d,x:y/m%.py", "views.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    out = lines(result.stdout)
    assert len(out) == 2, result.stdout  # the newline in the message is escaped
    assert out[0].startswith("::warning file=d%2Cx%3Ay/m%25.py,line=2,col=5,"), out[0]
    head, _, message = out[1].partition(",title=WRP102 duplicate-endpoint::")
    assert head.startswith("::warning file=views.py,line=11,col=1,"), out[1]
    assert message.startswith(
        "WRP102 endpoint '100%25, done: yes%0Anext' on 'app' is already taken by 'first' (line 6)"
    ), message
    assert "%" not in message.replace("%25", "").replace("%0A", "")


def test_github_escaping_functions() -> None:
    assert output._escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad"
    assert output._escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"
    # '%' is escaped first, so an escape sequence already in the text stays literal
    assert output._escape_data("%0A") == "%250A"
    assert output._escape_property("%3A:") == "%253A%3A"


def test_github_output_in_process_with_a_comma_colon_path_and_a_percent_message() -> None:
    rule = BY_CODE["WRP001"]
    finding = Finding(2, 4, rule, "WRP001 wraps 100% of it: a, b", None, (3, 10))
    text = output.github([("dir,one:two/mod.py", [finding])])
    assert text == (
        "::warning file=dir%2Cone%3Atwo/mod.py,line=2,col=5,endLine=3,endColumn=11,"
        "title=WRP001 missing-wraps::WRP001 wraps 100%25 of it: a, b\n"
    )


# --- exit codes are those of the text format -------------------------------------------

SCENARIOS = {
    "clean": ((("clean.py", CLEAN),), 0),
    "findings": ((("clean.py", CLEAN), ("deco.py", MISSING_WRAPS)), 1),
    "error": ((("deco.py", MISSING_WRAPS), ("broken.py", "def broken(:\n")), 2),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_exit_codes_are_the_same_in_every_format(tmp_path: Path, scenario: str) -> None:
    files, expected = SCENARIOS[scenario]
    for name, content in files:
        write(tmp_path, name, content)
    codes = {}
    for fmt in FORMATS:
        result = run_tool(TOOL, f"--format={fmt}", ".", cwd=tmp_path)
        assert_no_traceback(result)
        codes[fmt] = result.returncode
        if fmt == "json":
            json.loads(result.stdout)
        if fmt == "sarif":
            assert_valid_sarif(result.stdout)
        if scenario == "error":
            (error,) = lines(result.stderr)
            assert error.startswith("./broken.py: error: "), error
    assert codes == dict.fromkeys(FORMATS, expected)


def test_unknown_format_is_one_error_line(tmp_path: Path) -> None:
    write(tmp_path, "deco.py")
    result = run_tool(TOOL, "--format=xml", ".", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(lines(result.stderr)) == 1, result.stderr
    assert "--format" in result.stderr and "xml" in result.stderr


def test_the_end_of_a_name_is_counted_in_bytes_as_its_start(tmp_path: Path) -> None:
    # 'ä' is two bytes in UTF-8: the start column and the end column both count bytes,
    # as ast and flake8 count columns, so the range spans 'def wräpper' exactly
    write(
        tmp_path,
        "names.py",
        "def deco(f):\n    def wräpper(*args, **kwargs):\n        return f(*args, **kwargs)\n"
        "    return wräpper\n",
    )
    result = run_tool(TOOL, "--format", "json", "names.py", cwd=tmp_path)
    [finding] = json.loads(result.stdout)
    assert (finding["column"], finding["end_column"]) == (5, 5 + len("def wräpper".encode()))
