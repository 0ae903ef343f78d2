"""WRP001 in a module of tests that compares a decorator with functools.wraps and one
without: the one without is the point of the test, and is not reported."""

from __future__ import annotations

from conftest import findings_of

CONTRAST = """\
import functools


def keeps_name(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def loses_name(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


@keeps_name
def kept():
    pass


@loses_name
def lost():
    pass
"""
TESTS = """

def test_names():
    assert kept.__name__ == "kept"
    assert lost.__name__ == "wrapper"
"""


def _wrp001(source: str) -> set[int]:
    return {line for line, _, code in findings_of(source) if code == "WRP001"}


def test_a_module_of_tests_comparing_with_wraps_is_not_reported() -> None:
    assert _wrp001(CONTRAST + TESTS) == set()


def test_the_same_decorators_outside_a_module_of_tests_are_reported() -> None:
    assert _wrp001(CONTRAST) == {13}


CALLS = """

def test_calls():
    assert kept() is None
    assert lost() is None
"""


def test_a_module_of_tests_without_wraps_anywhere_is_reported() -> None:
    without = CONTRAST.replace("    @functools.wraps(func)\n", "")
    assert _wrp001(without + CALLS) == {5, 12}


def test_a_module_of_tests_reading_the_metadata_is_not_reported() -> None:
    without = CONTRAST.replace("    @functools.wraps(func)\n", "")
    reads = (
        CALLS
        + """

def test_doc():
    assert lost.__doc__ is None
"""
    )
    assert _wrp001(without + reads) == set()


def test_a_library_method_named_test_does_not_make_a_module_of_tests() -> None:
    library = (
        CONTRAST
        + """

class Outcome:
    def testPartExecutor(self, case):
        return case
"""
    )
    assert _wrp001(library) == {13}


def test_a_test_method_of_a_test_class_makes_a_module_of_tests() -> None:
    tests = (
        CONTRAST
        + """

class NamesTest:
    def test_names(self):
        assert lost.__name__ == "wrapper"
"""
    )
    assert _wrp001(tests) == set()
