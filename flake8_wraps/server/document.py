"""What the language server does with one open document, without the protocol: check
its text as the command would check the file, and make the text of a fix, of a
``# noqa`` comment or of every safe fix.

The text is the editor's, not the file's: it is checked as the file's bytes would be
(UTF-8), with the configuration the command reads for that file (found from the
file's folder), its per-file-ignores and its file-level ``# flake8: noqa``.  The other
modules of the project are read from disk, as the command reads them.

Nothing here raises for a document: what stops a check (a configuration error, a
file too large, a parse error, a bug of a rule) is one line in ``problem``.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field

from flake8_wraps.analysis.applied import forget as forget_applied
from flake8_wraps.analysis.project import ModuleScope
from flake8_wraps.command.config import ConfigError, load
from flake8_wraps.command.per_file import PerFileIgnores
from flake8_wraps.command.worker import scope_for
from flake8_wraps.model import Finding
from flake8_wraps.noqa import exempts_file
from flake8_wraps.options import MAX_FILE_SIZE, WRAPS_IMPORT_STYLE, Options, format_size
from flake8_wraps.registry import BY_CODE
from flake8_wraps.source import FileError, check_source, module_findings

# the line breaks of the protocol, which are those of the parser
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Checked:
    """A document's findings (with their fixes), and what is needed to fix them."""

    path: str
    text: str
    source: bytes
    findings: list[Finding] = field(default_factory=list)
    problem: str | None = None  # why the document was not checked, in one line
    options: Options | None = None
    scope: ModuleScope | None = None
    silenced: frozenset[str] = frozenset()
    import_style: str = "import"


def internal_error(path: str, error: BaseException) -> str:
    """The line for a bug of the tool, as the command writes it."""
    reason = f"internal error: {type(error).__name__}: {error}; please report it"
    return str(FileError(path, " ".join(reason.split())))


def check(path: str, text: str) -> Checked:
    """Check ``text`` as the content of the file ``path``; never raises."""
    source = text.encode("utf-8", "surrogatepass")
    checked = Checked(path, text, source)
    try:
        _check(checked)
    except Exception as error:  # the boundary: a bug is one line, not a dead server
        checked.findings = []
        checked.problem = internal_error(path, error)
    return checked


def _check(checked: Checked) -> None:
    path, source = checked.path, checked.source
    try:
        settings = load([path], None, False, {})
    except ConfigError as error:
        checked.problem = f"{path}: error: {error}"
        return
    limit = settings[MAX_FILE_SIZE]
    if len(source) > limit:
        checked.problem = str(
            FileError(path, f"larger than max-file-size ({format_size(limit)}); not checked")
        )
        return
    if exempts_file(source):  # a file-level noqa comment: flake8 checks nothing in it
        return
    options = settings.options(BY_CODE)
    checked.options = options
    checked.silenced = PerFileIgnores.from_settings(settings.values, BY_CODE).silenced(path)
    checked.import_style = settings[WRAPS_IMPORT_STYLE]
    forget_applied()  # the project's files may have changed since the last check
    checked.scope = scope_for(path, options)
    found = check_source(path, source, options, checked.scope, checked.silenced)
    if isinstance(found, FileError):
        checked.problem = str(found)
        return
    checked.findings = found


def _text_of(fixed: bytes) -> str | None:
    try:
        return fixed.decode("utf-8")
    except UnicodeDecodeError:
        return None


def fix_title(finding: Finding) -> str:
    """The rule's fix title, with the names of the finding's message (read back from
    the message through the rule's template); a plain title when they can't be."""
    rule = finding.rule
    plain = f"Fix {rule.name}"
    if rule.fix_title is None:
        return plain
    pattern, names = "", set()
    for literal, name, _, _ in string.Formatter().parse(rule.message):
        pattern += re.escape(literal)
        if name is not None:
            pattern += f"(?P<{name}>.+?)" if name not in names else f"(?P={name})"
            names.add(name)
    try:
        found = re.fullmatch(pattern, finding.message[len(rule.code) + 1 :], re.DOTALL)
        return rule.fix_title.format(**found.groupdict()) if found else plain
    except (re.error, KeyError, IndexError, ValueError):
        return plain


def fixed_text(checked: Checked, target: Finding | None = None) -> str | None:
    """The text with the fix of ``target`` made (safe or not), or with every safe fix
    (``target`` None); None when there is nothing to make or the fixer declined or
    could not verify the result."""
    from flake8_wraps.fixer.engine import FixSettings, fix_source

    if checked.options is None or checked.problem is not None:
        return None
    if target is None:
        settings = FixSettings(False, checked.import_style)
    else:
        if target.fix is None:
            return None

        def only_target(findings: list[Finding], source: bytes) -> list[Finding]:
            return [finding for finding in findings if finding == target]

        settings = FixSettings(not target.fix.safe, checked.import_style, only_target)
    try:
        outcome = fix_source(
            checked.path, checked.source, checked.options, settings, checked.scope, checked.silenced
        )
    except Exception:  # a bug of the fixer: the fix is not offered
        return None
    if outcome.error is not None or not outcome.changed:
        return None
    if target is not None and target.code not in outcome.fixed_codes:
        return None
    return _text_of(outcome.fixed)


def commented_text(checked: Checked, target: Finding) -> str | None:
    """The text with a ``# noqa: CODE`` comment for ``target`` where flake8 reads it,
    or None when no comment can silence it there."""
    from flake8_wraps.fixer.noqa_comments import add_noqa

    options = checked.options
    if options is None or checked.problem is not None:
        return None

    def findings_of(tree: ast.Module, source: bytes) -> list[Finding]:
        return module_findings(tree, source, options, checked.scope, checked.silenced)

    try:
        outcome = add_noqa(checked.path, checked.source, checked.findings, [target], findings_of)
    except Exception:  # a bug: the comment is not offered
        return None
    if outcome.error is not None or not outcome.comments:
        return None
    return _text_of(outcome.source)


@dataclass(frozen=True)
class LineEdit:
    """Replace the lines ``start`` to ``end`` (0-based, ``end`` excluded) with ``text``.

    ``end_column`` is None when the range ends at the start of line ``end``; otherwise
    the range ends on line ``end`` at that column (in characters), the end of a last line
    that has no line break.
    """

    start: int
    end: int
    text: str
    end_column: int | None = None


def line_edit(old: str, new: str) -> LineEdit:
    """The one edit that turns ``old`` into ``new``: the lines between those they share
    at the start and at the end."""
    # not str.splitlines: it also breaks at form feeds and other separators that the
    # protocol does not count as line breaks
    old_lines, new_lines = _lines(old), _lines(new)
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(old_lines), len(new_lines)) - head
        and old_lines[-1 - tail] == new_lines[-1 - tail]
    ):
        tail += 1
    end = len(old_lines) - tail
    text = "".join(new_lines[head : len(new_lines) - tail])
    if tail == 0 and old_lines and not old_lines[-1].endswith(("\n", "\r")):
        # the range reaches the end of a last line without a line break
        return LineEdit(head, end - 1, text, len(old_lines[-1]))
    return LineEdit(head, end, text)


def _lines(text: str) -> list[str]:
    """``text`` cut after each line break (``\\r\\n``, ``\\r`` or ``\\n``)."""
    out = []
    start = 0
    for match in LINE_BREAK.finditer(text):
        out.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        out.append(text[start:])
    return out


def physical(text: str) -> list[str]:
    """The lines of ``text`` as the protocol counts them, without their line breaks."""
    return LINE_BREAK.split(text)


def character_prefix(line: str, byte_column: int) -> str:
    """The start of ``line`` up to ``byte_column``, counted in UTF-8 bytes as ``ast``
    counts columns."""
    data = line.encode("utf-8", "surrogatepass")[:byte_column]
    return data.decode("utf-8", "ignore")
