"""Golden fixes: each ``fixtures/fix/NAME.py`` becomes ``NAME.fixed.py``, byte for byte.

Every pair also shows the fixed module parses, a second fix changes nothing, and
no fixable finding is left.  Names holding ``unsafe_`` are fixed with the unsafe
fixes, those holding ``fromstyle_`` add ``from functools import ...``, and ``declined_`` ones must
come out unchanged (a shape the fixer does not fully understand, such as a comment
on a line it would remove, is reported and left alone).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_wraps.fixer.engine import FixSettings, applicable, fix_source
from flake8_wraps.options import Options

from conftest import FIXTURES

GOLDEN = FIXTURES / "fix"
INPUTS = sorted(p for p in GOLDEN.glob("*.py") if not p.name.endswith(".fixed.py"))


def settings_for(path: Path) -> FixSettings:
    name = path.stem
    return FixSettings(
        unsafe="unsafe_" in name,
        import_style="from" if "fromstyle_" in name else "import",
    )


def test_there_are_enough_golden_pairs() -> None:
    assert len(INPUTS) >= 25
    for path in INPUTS:
        assert path.with_name(f"{path.stem}.fixed.py").exists(), path.name


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_golden_fix(path: Path) -> None:
    source = path.read_bytes()
    expected = path.with_name(f"{path.stem}.fixed.py").read_bytes()
    settings = settings_for(path)
    outcome = fix_source(path.name, source, Options(), settings)
    assert outcome.error is None
    assert outcome.fixed == expected
    if path.stem.startswith("declined_"):
        assert outcome.applied == 0
        assert outcome.findings, "a declined fix still reports its finding"
    else:
        assert outcome.applied > 0
    ast.parse(outcome.fixed)
    again = fix_source(path.name, outcome.fixed, Options(), settings)
    assert again.error is None
    assert again.fixed == outcome.fixed
    assert again.applied == 0
    if not path.stem.startswith("declined_"):
        assert applicable(again.findings, settings) == []
