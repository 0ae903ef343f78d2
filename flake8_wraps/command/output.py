"""Output formats of the command: text (flake8's), JSON, SARIF 2.1.0, GitHub annotations,
and the unified diff of ``--diff``."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping

import flake8_wraps
from flake8_wraps.command.baseline import fingerprint
from flake8_wraps.model import Finding
from flake8_wraps.registry import RULES

HOME = "https://github.com/flake8-wraps/flake8-wraps"


def rule_url(code: str) -> str:
    """The address of a rule's page (SARIF's helpUri, the language server's links)."""
    return f"{HOME}/blob/main/docs/rules/{code}.md"


def _end(finding: Finding) -> tuple[int, int]:
    line, col = finding.end if finding.end is not None else (finding.line, finding.col)
    return line, col + 1


def _fix(finding: Finding) -> dict[str, object] | None:
    if finding.fix is None:
        return None
    return {"available": True, "safety": "safe" if finding.fix.safe else "unsafe"}


# terminal colours, as flake8 and ruff use them: the path bold, the code bold red
_BOLD, _RED, _CYAN, _RESET = "\033[1m", "\033[31m", "\033[36m", "\033[m"


def text(
    reports: Iterable[tuple[str, list[Finding]]],
    color: bool = False,
    source_lines: Callable[[str], list[str]] | None = None,
) -> str:
    """flake8's ``path:line:col: CODE message``; with ``source_lines`` (the lines of a
    file, by path), each finding's line and a caret under its column."""
    out = []
    for path, findings in reports:
        lines = source_lines(path) if source_lines is not None and findings else None
        for f in findings:
            if color:
                colon = f"{_CYAN}:{_RESET}"
                rest = f.message[len(f.code) :]
                where = f"{_BOLD}{path}{_RESET}{colon}{f.line}{colon}{f.col + 1}{colon}"
                out.append(f"{where} {_BOLD}{_RED}{f.code}{_RESET}{rest}\n")
            else:
                out.append(f"{path}:{f.line}:{f.col + 1}: {f.message}\n")
            if lines is not None and 0 < f.line <= len(lines):
                out.append(_source_and_caret(lines[f.line - 1], f.col))
    return "".join(out)


def _source_and_caret(line: str, col: int) -> str:
    """The line, then a caret under column ``col`` (counted in UTF-8 bytes, as ``ast``
    counts it), indented with the line's own whitespace so tabs line up."""
    before = line.encode("utf-8", "surrogateescape")[:col].decode("utf-8", "ignore")
    indent = "".join(c if c.isspace() else " " for c in before)
    return f"{line.rstrip(chr(10))}\n{indent}^\n"


def file_names(reports: Iterable[tuple[str, list[Finding]]]) -> str:
    """``--quiet``: the name of each file with findings, once."""
    return "".join(f"{path}\n" for path, findings in reports if findings)


def statistics(counts: dict[str, tuple[int, str]]) -> str:
    """``--statistics`` as flake8 prints it: per code, in code order, the number of
    findings, the code and the message of the first finding with that code."""
    return "".join(f"{counts[code][0]:<5} {code} {counts[code][1]}\n" for code in sorted(counts))


def as_json(reports: Iterable[tuple[str, list[Finding]]]) -> str:
    items = []
    for path, findings in reports:
        for f in findings:
            end_line, end_column = _end(f)
            items.append(
                {
                    "code": f.code,
                    "name": f.rule.name,
                    "message": f.message[len(f.code) + 1 :],
                    "path": path,
                    "line": f.line,
                    "column": f.col + 1,
                    "end_line": end_line,
                    "end_column": end_column,
                    "fix": _fix(f),
                }
            )
    return json.dumps(items, indent=2) + "\n"


def _uri(path: str) -> str:
    """A path relative to the current directory, with forward slashes."""
    relative = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    return relative.replace(os.sep, "/")


# the key of a result's partialFingerprints (SARIF 3.27.17: a versioned name)
FINGERPRINT_KEY = "flake8-wraps/v1"


def _fingerprints(path: str, findings: list[Finding]) -> list[str]:
    """A fingerprint of each finding of one file that survives edits moving lines: a
    hash of the baseline's fingerprint (from the current folder), then ``:`` and the
    occurrence of that hash in the file (1, 2, ... in line order)."""
    folder = os.getcwd()
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        text = "\0".join(fingerprint(path, finding, folder))
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        out.append(f"{digest}:{seen[digest]}")
    return out


def sarif(
    reports: Iterable[tuple[str, list[Finding]]],
    errors: Iterable[str] = (),
    unchanged: Mapping[str, list[Finding]] | None = None,
) -> str:
    """A SARIF log of the findings of ``reports``; with a baseline, ``unchanged`` holds
    each file's findings that the baseline knows: every result then has its
    ``baselineState``, ``new`` or ``unchanged``."""
    from urllib.parse import quote  # only for this format

    codes = [rule.code for rule, _ in RULES]
    rules = [
        {
            "id": rule.code,
            "name": "".join(part.title() for part in rule.name.split("-")),
            "shortDescription": {"text": rule.name},
            "helpUri": rule_url(rule.code),
            "defaultConfiguration": {"level": "warning"},
        }
        for rule, _ in RULES
    ]
    results = []
    for path, new in reports:
        states = [(f, "new") for f in new]
        if unchanged is not None:
            states.extend((f, "unchanged") for f in unchanged.get(path, ()))
            states.sort(key=lambda pair: pair[0].sort_key())
        findings = [f for f, _ in states]
        for (f, state), print_ in zip(states, _fingerprints(path, findings)):
            end_line, end_column = _end(f)
            result: dict[str, object] = {
                "ruleId": f.code,
                "level": "warning",
                "message": {"text": f.message[len(f.code) + 1 :]},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": quote(os.fsencode(_uri(path)), safe="/"),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": {
                                "startLine": f.line,
                                "startColumn": f.col + 1,
                                "endLine": end_line,
                                "endColumn": max(end_column, f.col + 1),
                            },
                        }
                    }
                ],
            }
            if f.code in codes:
                result["ruleIndex"] = codes.index(f.code)
            result["partialFingerprints"] = {FINGERPRINT_KEY: print_}
            if unchanged is not None:
                result["baselineState"] = state
            results.append(result)
    notifications = [{"level": "error", "message": {"text": message}} for message in errors]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flake8-wraps",
                        "version": flake8_wraps.__version__,
                        "informationUri": HOME,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(reports: Iterable[tuple[str, list[Finding]]]) -> str:
    lines = []
    for path, findings in reports:
        for f in findings:
            end_line, end_column = _end(f)
            properties = ",".join(
                [
                    f"file={_escape_property(_uri(path))}",
                    f"line={f.line}",
                    f"col={f.col + 1}",
                    f"endLine={end_line}",
                    f"endColumn={end_column}",
                    f"title={_escape_property(f'{f.code} {f.rule.name}')}",
                ]
            )
            lines.append(f"::warning {properties}::{_escape_data(f.message)}\n")
    return "".join(lines)


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A unified diff that ``patch`` applies: lines split only where Python splits them."""
    import difflib  # only for --diff
    import io
    import tokenize

    encoding, _ = tokenize.detect_encoding(io.BytesIO(old).readline)
    before = io.StringIO(old.decode(encoding), newline="").readlines()
    after = io.StringIO(new.decode(encoding), newline="").readlines()
    out: list[str] = []
    for line in difflib.unified_diff(before, after, fromfile=path, tofile=path):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
