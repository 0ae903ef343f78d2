"""``# noqa`` comments, read as flake8 reads them, for consumers outside flake8."""

from __future__ import annotations

import re

from flake8_wraps.model import Finding

# flake8's syntax: the bare marker, or the marker, a colon and codes separated by commas
NOQA = re.compile(
    rb"#\s*noqa(?::[\s]?(?P<codes>[A-Z][0-9]+(?:[,\s]+[A-Z][0-9]+)*))?", re.IGNORECASE
)


def is_suppressed(line: bytes, code: str) -> bool:
    match = NOQA.search(line)
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return True
    wanted = code.encode()
    return any(
        wanted.startswith(c.strip().upper()) for c in re.split(rb"[,\s]+", codes) if c.strip()
    )


def filter_noqa(source: bytes, findings: list[Finding]) -> list[Finding]:
    """``findings`` without those silenced by a ``# noqa`` comment on their line."""
    if not findings or b"noqa" not in source.lower():
        return findings
    lines = source.splitlines()
    return [
        f
        for f in findings
        if not (f.line <= len(lines) and is_suppressed(lines[f.line - 1], f.code))
    ]
