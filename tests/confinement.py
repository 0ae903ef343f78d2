"""An independent judge of a fix: every change it made is of a kind a fix makes.

Used by the fuzz test and by ``scripts/validate_fix.py``; it shares nothing with the
fixer's own verification (``flake8_wraps.fixer.verify``), so the two check each other.
"""

from __future__ import annotations

import difflib
import re

# lines a fix may add: a wraps decorator (under the module's own name for wraps, which
# may be any), an update_wrapper call, a functools import
INSERTABLE = re.compile(
    rb"^\s*(@[\w.]+\([\w.]+\)|[\w.]*update_wrapper\(\w+, \w+\)"
    rb"|import functools(?: as \w+)?|from functools import [\w, ]+)?\s*$"
)
# lines a fix may remove: a manual metadata copy, a bare wraps(...) statement
REMOVABLE = re.compile(
    rb"^\s*(\w+\.__\w+__ = .*|\w+\.__dict__\.update\(.*\)|setattr\(\w+, .*\)"
    rb"|[\w.]*wraps\([\w.= ]+\))\s*$"
)


def _swapped(line: bytes) -> bytes:
    match = re.match(rb"^\s*([\w.]*update_wrapper)\((\w+), (\w+)\)\s*$", line)
    if match is None:
        return b""
    return match.group(1) + b"(" + match.group(3) + b", " + match.group(2) + b")"


def _rewritten(old: bytes, new: bytes) -> bool:
    """One line changed in place: ``return`` added, arguments swapped, a wraps argument."""
    return (
        new.strip() == b"return " + old.strip()
        or _swapped(old) == new.strip()
        or (old.strip().startswith(b"@") and b"wraps" in old and b"wraps" in new)
    )


def _decorators_in_order(lines: list[bytes]) -> list[bytes]:
    """``lines`` with each run of one-line decorators (and comments among them) sorted,
    so that moving decorators within their stack is no change."""
    out: list[bytes] = []
    run: list[bytes] = []
    for line in lines:
        if line.lstrip().startswith((b"@", b"#")):
            run.append(line)
            continue
        out.extend(sorted(run))
        run = []
        out.append(line)
    out.extend(sorted(run))
    return out


def edits_are_confined(old: bytes, new: bytes) -> bool:
    bom = b"\xef\xbb\xbf"
    if old.startswith(bom) != new.startswith(bom):
        return False
    old, new = old.removeprefix(bom), new.removeprefix(bom)
    a = _decorators_in_order(old.splitlines(keepends=True))
    b = _decorators_in_order(new.splitlines(keepends=True))
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        removed, added = a[i1:i2], b[j1:j2]
        if len(removed) == len(added) and all(map(_rewritten, removed, added)):
            continue
        # what is left once the lines a fix removes or adds are set aside must be
        # lines rewritten in place, one for one
        rest_removed = [
            line for line in removed if line.strip() and not REMOVABLE.match(line.rstrip(b"\r\n"))
        ]
        rest_added = [line for line in added if not INSERTABLE.match(line.rstrip(b"\r\n"))]
        if len(rest_removed) == len(rest_added) and all(map(_rewritten, rest_removed, rest_added)):
            continue
        moved = sorted(removed) == sorted(added)
        decorator_lines = all(
            line.lstrip().startswith((b"@", b"#")) or not line.strip() or line[:1] in b" \t)"
            for line in removed
        )
        if moved and decorator_lines:
            continue
        return False
    return True
