"""``--add-noqa``: a ``# noqa: CODE`` comment for each finding, where flake8 reads it.

flake8 searches the first ``# noqa`` in the text it reads with a finding's line: that
line, joined with the lines a string spanning several lines or a ``\\`` continuation
ties to it (see :mod:`flake8_wraps.noqa`).  So, for the lines read together:

- when they already hold a ``# noqa: CODES`` comment, the codes are added to that
  comment after its own (``# noqa: E501`` becomes ``# noqa: E501,WRP001``), and the
  rest of the comment is kept;
- otherwise ``  # noqa: CODES`` (then the reason, if one is given) ends the finding's
  line, after any comment already there (``x = 1  # type: ignore  # noqa: WRP001``);
  a line that cannot end with a comment (it ends inside a string that goes on, or
  with a ``\\`` continuation) passes the comment to the last of those lines, which
  flake8 reads for the same finding;
- when the first ``# noqa`` flake8 finds there is inside a string, no comment can come
  first: the string is not edited, and the finding is left as it is.

The new module must parse, differ from the old one only on the lines that got a
comment, and report exactly what the old one reported less the findings given a
comment, each of them silenced as flake8 decides; otherwise nothing changes and one
line says why.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flake8_wraps.fixer.verify import changes_outside, finding_keys
from flake8_wraps.model import Finding
from flake8_wraps.noqa import NOQA, logical_ranges, physical_lines, silencer
from flake8_wraps.source import FileError, parse_source

BOM = b"\xef\xbb\xbf"
_SEPARATORS = ", \t"


@dataclass
class NoqaOutcome:
    """The new bytes, how many comments were written or extended, and what the module
    reports then (the findings given a comment are silenced)."""

    source: bytes
    comments: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None


def reason_problem(reason: str) -> str | None:
    """Why ``reason`` can't follow the codes of a noqa comment, or None: it must be one
    line of printable text that flake8 does not read as more codes."""
    text = reason.strip()
    if not text:
        return "the reason is empty"
    if not text.isprintable():
        return "the reason must be one line of printable text"
    found = NOQA.search(f"# noqa: WRP001 {text}")
    codes = found.group("codes") if found else None
    if [code for code in re.split(r"[,\s]+", codes or "") if code] != ["WRP001"]:
        return f"flake8 would read {text.split()[0]!r} as a code; start the reason with a word"
    return None


class _Refused(Exception):
    """The module can't take the comments; the message is the reason."""


def add_noqa(
    path: str,
    source: bytes,
    findings: list[Finding],
    chosen: Iterable[Finding],
    check: Callable[[ast.Module, bytes], list[Finding]],
    reason: str = "",
) -> NoqaOutcome:
    """Comment the lines of the ``chosen`` findings of ``source``, whose check gave
    ``findings`` (``check`` gives them again for the new module); never raises for
    bad input."""
    chosen = list(chosen)
    if not chosen:
        return NoqaOutcome(source, 0, findings)
    try:
        new, done, comments = _commented(source, chosen, reason)
        if not comments:
            return NoqaOutcome(source, 0, findings)
        after = _verified(path, source, new, findings, done, check, comments)
    except _Refused as refusal:
        error = FileError(path, f"noqa comments not added: {refusal}; file left as it was")
        return NoqaOutcome(source, 0, findings, error)
    return NoqaOutcome(new, len(comments), after)


def _commented(
    source: bytes, chosen: list[Finding], reason: str
) -> tuple[bytes, list[Finding], dict[int, str]]:
    """The new bytes, the findings given a comment, and the new text of each line changed."""
    physical = physical_lines(source)
    body = source[len(BOM) :] if source.startswith(BOM) else source
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        tokens = list(tokenize.generate_tokens(iter(physical).__next__))
    except (SyntaxError, tokenize.TokenError, LookupError) as error:
        raise _Refused(f"cannot read its tokens ({error})") from None
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    raw = body.splitlines(keepends=True)
    if len(raw) != len(physical):
        raise _Refused("its line endings are not all \\n, \\r\\n or \\r")
    comments, unfinished = _comments_and_unfinished(tokens)
    ranges = logical_ranges(physical)
    groups: dict[tuple[int, int], list[Finding]] = {}
    for finding in chosen:
        groups.setdefault(ranges.get(finding.line, (finding.line, finding.line)), []).append(
            finding
        )
    changed: dict[int, str] = {}
    done: list[Finding] = []
    for (first, last), group in sorted(groups.items()):
        codes = sorted({finding.code for finding in group})
        line_text = "".join(physical[first - 1 : last])
        found = NOQA.search(line_text)
        if found is not None:
            edit = _merged(physical, first, found, codes, comments)
        else:
            edit = _appended(physical, group, last, codes, reason, comments, unfinished)
        if edit is not None:
            line, text = edit
            changed[line] = text
            done.extend(group)
    lines = list(raw)
    for line, text in changed.items():
        before = raw[line - 1]
        ending = before[len(before.rstrip(b"\r\n")) :]
        try:
            lines[line - 1] = text.encode(codec) + ending
        except UnicodeEncodeError:
            raise _Refused(f"the reason cannot be written in its encoding ({encoding})") from None
    new = (BOM if source.startswith(BOM) else b"") + b"".join(lines)
    return new, done, changed


def _comments_and_unfinished(
    tokens: list[tokenize.TokenInfo],
) -> tuple[dict[int, tuple[int, int]], set[int]]:
    """The comment of each line (start and end column), and the lines that end inside
    a token that goes on to the next line (a string, an f-string)."""
    comments: dict[int, tuple[int, int]] = {}
    unfinished: set[int] = set()
    starts = {getattr(tokenize, name, -1) for name in ("FSTRING_START", "TSTRING_START")}
    ends = {getattr(tokenize, name, -1) for name in ("FSTRING_END", "TSTRING_END")}
    opened: list[int] = []
    for token in tokens:
        kind, (start_line, start_col), (end_line, end_col) = token.type, token.start, token.end
        if kind == tokenize.COMMENT:
            comments[start_line] = (start_col, end_col)
        elif kind in starts:
            opened.append(start_line)
        elif kind in ends and opened:
            unfinished.update(range(opened.pop(), end_line))
        elif start_line < end_line and kind not in (tokenize.NL, tokenize.NEWLINE):
            unfinished.update(range(start_line, end_line))
    return comments, unfinished


def _content(physical: list[str], line: int) -> str:
    text = physical[line - 1]
    return text[:-1] if text.endswith("\n") else text


def _merged(
    physical: list[str],
    first: int,
    found: re.Match[str],
    codes: list[str],
    comments: dict[int, tuple[int, int]],
) -> tuple[int, str] | None:
    """The codes added to the ``# noqa: CODES`` comment ``found`` in the statement's
    lines from ``first``; None when it is not in a comment (a string holds it)."""
    if found.group("codes") is None:
        return None  # a bare noqa silences everything already
    line, offset = first, found.start()
    while offset >= len(physical[line - 1]):
        offset -= len(physical[line - 1])
        line += 1
    comment = comments.get(line)
    if comment is None or not comment[0] <= offset < comment[1]:
        return None
    text = _content(physical, line)
    codes_start = offset + found.start("codes") - found.start()
    end = min(offset + found.end("codes") - found.start(), comment[1])
    while end > codes_start and text[end - 1] in _SEPARATORS:
        end -= 1
    if end <= codes_start:
        return None
    present = text[codes_start:end]
    listed = tuple(code for code in present.replace(",", " ").split() if code)
    missing = [code for code in codes if not code.startswith(listed)]
    if not missing:
        return None
    separator = ", " if ", " in present else ","
    return line, text[:end] + "".join(separator + code for code in missing) + text[end:]


def _appended(
    physical: list[str],
    group: list[Finding],
    last: int,
    codes: list[str],
    reason: str,
    comments: dict[int, tuple[int, int]],
    unfinished: set[int],
) -> tuple[int, str] | None:
    """``# noqa: CODES`` at the end of the first line of ``group`` that can take it, or
    else of the statement's last line."""
    for line in (*sorted({finding.line for finding in group}), last):
        if not 0 < line <= len(physical) or line in unfinished:
            continue
        text = _content(physical, line).rstrip(" \t")
        if text.endswith("\\") and line not in comments:
            continue
        comment = f"# noqa: {','.join(codes)}" + (f" {reason}" if reason else "")
        return line, f"{text}  {comment}"
    return None


def _verified(
    path: str,
    old: bytes,
    new: bytes,
    findings: list[Finding],
    done: list[Finding],
    check: Callable[[ast.Module, bytes], list[Finding]],
    changed: dict[int, str],
) -> list[Finding]:
    tree = parse_source(path, new)
    if isinstance(tree, FileError):
        raise _Refused(f"the new code does not parse ({tree.reason})")
    after = check(tree, new)
    if finding_keys(after) != finding_keys(findings) - finding_keys(done):
        raise _Refused("the module would not report what it should")
    silenced = silencer(new)
    if not all(silenced(finding.line, finding.code) for finding in done):
        raise _Refused("a comment would not silence its finding")
    reason = changes_outside(old, new, [(line - 1, line) for line in changed], [])
    if reason is not None:
        raise _Refused(reason.replace("the fix changed", "the comments changed"))
    return after
