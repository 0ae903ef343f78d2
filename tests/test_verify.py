"""The fixer's last check: a fixed module may differ from the original only in the lines
a fix edits and where it may add lines; decided exactly, and in time linear in the
files' lengths however often their lines repeat."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_wraps.fixer.verify import changes_outside


def _text(lines: list[str]) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode()


OLD = ["import os", "", "", "def deco(f):", "    def w():", "        f()", "    return w"]


def test_identical_files_pass() -> None:
    assert changes_outside(_text(OLD), _text(OLD), [], []) is None


def test_lines_added_where_allowed_pass_and_elsewhere_fail() -> None:
    new = [*OLD[:4], "    @functools.wraps(f)", *OLD[4:]]
    assert changes_outside(_text(OLD), _text(new), [], [(4, 4)]) is None
    for allowed in ([(2, 3)], []):
        reason = changes_outside(_text(OLD), _text(new), [], allowed)
        assert reason is not None and reason.endswith(", outside the lines it edits")


def test_a_replaced_range_may_become_anything() -> None:
    new = [*OLD[:5], "        return f()", "        # more", *OLD[6:]]
    assert changes_outside(_text(OLD), _text(new), [(5, 6)], []) is None
    assert changes_outside(_text(OLD), _text(new[:-1]), [(5, 6)], []) == (
        "the fix changed line 7, outside the lines it edits"
    )


def test_a_change_outside_is_found_in_a_file_of_repeated_lines() -> None:
    body = ["x = 1"] * 50_000
    old = ["def deco(f):", "    def w(*a):", "        return f(*a)", "    return w", *body]
    fixed = ["import functools", "", "", *old[:1], "    @functools.wraps(f)", *old[1:]]
    allowed = [(0, 0), (1, 1)]
    assert changes_outside(_text(old), _text(fixed), [], allowed) is None
    broken = [*fixed]
    broken[30_000] = "x = 2"
    assert changes_outside(_text(old), _text(broken), [], allowed) is not None
    shorter = fixed[:-1]
    assert changes_outside(_text(old), _text(shorter), [], allowed) is not None


def test_the_byte_order_mark_must_stay() -> None:
    assert changes_outside(b"\xef\xbb\xbfx = 1\n", b"x = 1\n", [], [(0, 1)]) == (
        "the fix added or removed the byte order mark"
    )


lines_of = st.lists(st.sampled_from(["a", "b", "", "# c"]), max_size=30)


@st.composite
def edited(
    draw: st.DrawFn,
) -> tuple[list[str], list[str], list[tuple[int, int]], list[tuple[int, int]]]:
    """A file, the same file edited only where allowed, and what was allowed."""
    old = draw(lines_of)
    replaced: list[tuple[int, int]] = []
    inserted: list[tuple[int, int]] = []
    new: list[str] = []
    position = 0
    while position <= len(old):
        choice = draw(st.sampled_from(["keep", "keep", "insert", "replace"]))
        if choice == "insert":
            inserted.append((position, position))
            new.extend(draw(lines_of))
        if choice == "replace" and position < len(old):
            end = draw(st.integers(position + 1, len(old)))
            replaced.append((position, end))
            new.extend(draw(lines_of))
            position = end
            continue
        if position < len(old):
            new.append(old[position])
        position += 1
    return old, new, replaced, inserted


@settings(max_examples=300, deadline=None)
@given(edited())
def test_every_edit_made_only_where_allowed_passes(
    case: tuple[list[str], list[str], list[tuple[int, int]], list[tuple[int, int]]],
) -> None:
    old, new, replaced, inserted = case
    assert changes_outside(_text(old), _text(new), replaced, inserted) is None


def _oracle(
    old: list[str], new: list[str], replaced: list[tuple[int, int]], inserted: list[tuple[int, int]]
) -> bool:
    """Whether ``new`` is ``old`` edited only where allowed, by a regular expression:
    each line a letter, each place that may take new lines ``.*``."""
    letters = {line: chr(0x100 + number) for number, line in enumerate(sorted({*old, *new}))}
    places = {p for low, high in inserted for p in range(low, high + 1)}
    ends = {low: high for low, high in replaced}
    pattern = []
    position = 0
    while position <= len(old):
        if position in places:
            pattern.append(".*")
        if position in ends:
            pattern.append(".*")
            position = max(ends[position], position)
            if position in ends and ends[position] == position:
                del ends[position]
            continue
        if position < len(old):
            pattern.append(re.escape(letters[old[position]]))
        position += 1
    return re.fullmatch("".join(pattern), "".join(letters[line] for line in new), re.S) is not None


@settings(max_examples=500, deadline=None)
@given(edited(), st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["a", "b", "x"]))))
def test_the_check_agrees_with_a_regular_expression_on_mutated_files(
    case: tuple[list[str], list[str], list[tuple[int, int]], list[tuple[int, int]]],
    mutations: list[tuple[int, str]],
) -> None:
    old, new, replaced, inserted = case
    for index, line in mutations:
        if index < len(new):
            new[index] = line
        else:
            new.append(line)
    expected = _oracle(old, new, replaced, inserted)
    got = changes_outside(_text(old), _text(new), replaced, inserted)
    assert (got is None) == expected, got
