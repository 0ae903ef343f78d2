"""Each rule page's examples run through the analysis: the *Example* block raises the
rule, the *Use instead* block is clean and shows the whole example cured (it defines
every top-level name the example defines), so a page cannot drift from the rule."""

from __future__ import annotations

import ast
import re

import pytest

from flake8_wraps.registry import RULES

from conftest import ROOT, findings_of

CODES = [rule.code for rule, _ in RULES]


def _blocks(code: str, heading: str) -> list[str]:
    """The ``python`` code blocks of a page's section."""
    page = (ROOT / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8")
    section = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", page, re.M | re.S)
    assert section is not None, f"{code}: no '## {heading}' section"
    return re.findall(r"^```python\n(.*?)^```$", section.group(1), re.M | re.S)


@pytest.mark.parametrize("code", CODES)
def test_the_example_raises_the_rule(code: str) -> None:
    blocks = _blocks(code, "Example")
    assert blocks, f"{code}: the Example section has no python block"
    for block in blocks:
        assert code in {c for _, _, c in findings_of(block)}, block


def _defined(source: str) -> set[str]:
    return {
        node.name
        for node in ast.parse(source).body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }


@pytest.mark.parametrize("code", CODES)
def test_the_cure_is_clean(code: str) -> None:
    blocks = _blocks(code, "Use instead")
    assert blocks, f"{code}: the Use instead section has no python block"
    for block in blocks:
        assert findings_of(block) == set(), block
    cured = set().union(*(_defined(block) for block in blocks))
    for example in _blocks(code, "Example"):
        assert _defined(example) <= cured, f"{code}: the cure leaves out part of the example"
