"""Each fixture file's markers are exactly the findings of its rule: no more, no fewer;
and every finding's message is pinned in the fixture's ``.txt`` file.

Messages are public API.  After a deliberate change (listed in the changelog),
``python -m pytest tests/test_fixtures.py --pin-messages`` rewrites the ``.txt`` files;
review them with ``git diff fixtures``.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES, expected_markers, findings_of, pinned_output

FIXTURE_FILES = sorted(FIXTURES.glob("WRP*.py"))


def _code(path) -> str:  # type: ignore[no-untyped-def]
    return path.stem.split("_")[0]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_findings_match_markers(path) -> None:  # type: ignore[no-untyped-def]
    source = path.read_text(encoding="utf-8")
    code = _code(path)
    expected = expected_markers(source)
    assert expected, f"{path.name} has no expectation markers"
    got = {(line, col, c) for line, col, c in findings_of(source) if c == code}
    # a marker without a column matches any column on its line
    want_lines = {(line, c) for line, _, c in expected}
    assert {(line, c) for line, _, c in got} == want_lines
    for line, column, c in expected:
        if column is not None:
            assert (line, column, c) in got, f"{path.name}:{line}: expected column {column}"


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_messages_are_pinned(path, request) -> None:  # type: ignore[no-untyped-def]
    pinned = path.with_suffix(".txt")
    got = pinned_output(path.read_text(encoding="utf-8"))
    if request.config.getoption("--pin-messages"):
        pinned.write_text(got, encoding="utf-8")
    want = pinned.read_text(encoding="utf-8")
    assert got.splitlines() == want.splitlines(), (
        f"the findings of {path.name} differ from {pinned.name}; if the change is meant, "
        "run: python -m pytest tests/test_fixtures.py --pin-messages"
    )


SIZES = [
    ("WRP001", 30, 30),
    ("WRP002", 10, 10),
    ("WRP003", 10, 10),
    ("WRP004", 10, 10),
    ("WRP005", 10, 10),
    ("WRP006", 15, 20),
    ("WRP007", 10, 10),
    ("WRP008", 10, 10),
    ("WRP009", 10, 10),
    ("WRP010", 10, 10),
    ("WRP011", 10, 10),
    ("WRP101", 20, 20),
    ("WRP102", 15, 20),
]


@pytest.mark.parametrize(("code", "minimum_positive", "minimum_negative"), SIZES)
def test_fixture_sizes(code: str, minimum_positive: int, minimum_negative: int) -> None:
    """Each case is introduced by a ``# P:`` (flagged) or ``# N:`` (near miss) comment."""
    source = (FIXTURES / f"{code}.py").read_text(encoding="utf-8")
    headers = [line.strip()[:4] for line in source.splitlines()]
    assert headers.count("# P:") >= minimum_positive
    assert headers.count("# N:") >= minimum_negative
    assert len([m for m in expected_markers(source) if m[2] == code]) >= minimum_positive
