"""``# noqa`` comments, read exactly as flake8 reads them, for consumers outside flake8.

flake8 searches the comment with its own pattern (``# noqa``, one space, any case,
then optionally ``:`` and codes of letters followed by digits), not on the finding's
line alone but in the lines tokenized with it up to the next line break token: those
a string spanning several lines or a ``\\`` continuation ties to it (a line break
inside brackets ends them), and a code silences the findings whose code it starts
with, comparing case as written.  Anything else in the comment leaves a bare
``# noqa``, which silences everything on the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flake8_wraps.model import Finding

# flake8's NOQA_INLINE_REGEXP (flake8 7), searched in text
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,\s]")
# flake8's NOQA_FILE (flake8 7), matched at the start of every line of the file
FILE_NOQA = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_FLAKE8 = re.compile(rb"flake8", re.IGNORECASE)


def exempts_file(source: bytes) -> bool:
    """Whether ``source`` has a line that starts with ``# flake8: noqa`` (any case,
    ``=`` for ``:``, anything after it, codes included): flake8 then checks nothing in
    the file.  The comment after code on a line does not count (flake8 only logs it)."""
    if _FLAKE8.search(source) is None:  # most files: no copy of the source is made
        return False
    return any(FILE_NOQA.match(line) for line in physical_lines(source))


def is_suppressed(text: str, code: str) -> bool:
    """Whether a ``# noqa`` comment in ``text`` silences ``code`` there."""
    match = NOQA.search(text)
    if match is None:
        return False
    codes_text = match.group("codes")
    if codes_text is None:
        return True
    codes = {item.strip() for item in _SEPARATORS.split(codes_text) if item.strip()}
    return code in codes or code.startswith(tuple(codes))


def filter_noqa(source: bytes, findings: list[Finding]) -> list[Finding]:
    """``findings`` without those silenced by a ``# noqa`` comment, as flake8 decides."""
    if not findings or b"noqa" not in source.lower():
        return findings
    lines = _noqa_lines(source)
    return [f for f in findings if not is_suppressed(lines(f.line), f.code)]


def silencer(source: bytes) -> Callable[[int, str], bool]:
    """A test of whether a ``# noqa`` comment silences a code on a line of ``source``."""
    if b"noqa" not in source.lower():
        return lambda line, code: False
    lines = _noqa_lines(source)
    return lambda line, code: is_suppressed(lines(line), code)


def _noqa_lines(source: bytes) -> Callable[[int], str]:
    """A function from a line number to the text flake8 searches for ``noqa`` there."""
    physical = physical_lines(source)
    ranges = logical_ranges(physical)
    joined: dict[tuple[int, int], str] = {}

    def text_for(line: int) -> str:
        found = ranges.get(line)
        if found is not None:
            if found not in joined:
                joined[found] = "".join(physical[found[0] - 1 : found[1]])
            return joined[found]
        return physical[line - 1] if 0 < line <= len(physical) else ""

    return text_for


def physical_lines(source: bytes) -> list[str]:
    """The lines of ``source`` as flake8 reads them: decoded with the module's encoding
    (latin-1 when that fails, as flake8 falls back), line endings made ``\\n``."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        text = source.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        text = source.decode("latin-1")
    return io.StringIO(text, newline=None).readlines()


def logical_ranges(physical: list[str]) -> dict[int, tuple[int, int]]:
    """For each line, the first and last line of the lines flake8 searches together
    for ``noqa`` (those of one statement, up to its end or up to a line break inside
    brackets); empty when the lines do not tokenize (each line then stands alone)."""
    import tokenize

    ranges: dict[int, tuple[int, int]] = {}
    try:
        first, last = len(physical) + 2, -1
        for kind, _, start, end, _ in tokenize.generate_tokens(iter(physical).__next__):
            if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, start[0]), max(last, end[0])
            if kind in (tokenize.NL, tokenize.NEWLINE):
                ranges.update(dict.fromkeys(range(first, last + 1), (first, last)))
                first, last = len(physical) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return {}
    return ranges
