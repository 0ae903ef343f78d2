"""The rule registry, the docs, the fixtures and the README agree with each other."""

from __future__ import annotations

import re

from flake8_wraps.registry import ALL_RULES, BY_CODE, RULES

from conftest import FIXTURES, ROOT, run_tool

CODES = [rule.code for rule, _ in RULES]


def test_codes_are_unique_and_sorted() -> None:
    assert len(CODES) == len(set(CODES))
    assert sorted(CODES) == CODES
    assert all(re.fullmatch(r"WRP\d{3}", code) for code in CODES)


def test_every_rule_has_a_fixture_and_a_doc_page() -> None:
    for code in CODES:
        assert (FIXTURES / f"{code}.py").exists(), code
    for rule in ALL_RULES:  # WRP900 has a page but no fixture: no code should raise it
        doc = (ROOT / "docs" / "rules" / f"{rule.code}.md").read_text(encoding="utf-8")
        assert doc.startswith(f"# {rule.code} {BY_CODE[rule.code].name}\n"), rule.code


def test_doc_pages_follow_the_reading_order() -> None:
    order = [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Fix safety",
        "## Options",
    ]
    for code in BY_CODE:
        doc = (ROOT / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8")
        positions = [doc.find(heading) for heading in order]
        assert -1 not in positions, (code, positions)
        assert positions == sorted(positions), code


def test_readme_table_matches_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[(WRP\d{3})\]\(docs/rules/\1\.md\) \| ([a-z0-9-]+) \|", readme, re.M)
    assert rows == [(rule.code, rule.name) for rule in ALL_RULES]


def test_fix_safety_is_stated_once_per_rule() -> None:
    for rule, _ in RULES:
        assert rule.fix_safety in (None, "safe", "unsafe"), rule.code
        assert (rule.fix_title is None) == (rule.fix_safety is None), rule.code


def test_the_readme_shows_what_the_first_command_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```console\n\$ flake8-wraps examples/\n(.*?)```", readme, re.S)
    assert shown is not None
    result = run_tool("flake8-wraps", "--isolated", "examples/", cwd=ROOT)
    assert result.returncode == 1
    assert result.stdout == shown.group(1)
