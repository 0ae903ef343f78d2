"""The command's processes stay small: trees are freed as soon as a file is done."""

from __future__ import annotations

import ast
import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_wraps.analysis.core import analyze
from flake8_wraps.command.runner import process_paths
from flake8_wraps.command.worker import Job
from flake8_wraps.options import Options

from conftest import FIXTURES


@pytest.fixture
def no_collector() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("WRP*.py")), ids=lambda p: p.name)
def test_an_analysed_tree_is_freed_without_the_garbage_collector(
    fixture: Path, no_collector: None
) -> None:
    # the fixtures hold nested defs, methods, classes in functions and findings of
    # every rule: any cycle between the index's records would keep the tree alive
    tree = ast.parse(fixture.read_bytes())
    # (nodes without fields, such as ast.Load, are shared by every tree)
    nodes = [weakref.ref(node) for node in ast.walk(tree) if node._fields]
    findings = analyze(tree)
    assert findings
    del tree
    assert [ref() for ref in nodes if ref() is not None] == []


def test_collector_settings_are_restored_after_a_run(tmp_path: Path) -> None:
    for number in range(3):
        (tmp_path / f"mod{number}.py").write_text("def f():\n    return 1\n")
    before = gc.get_threshold()
    paths = sorted(str(path) for path in tmp_path.glob("*.py"))
    reports = list(process_paths(paths, Job(Options()), jobs=1))
    assert [report.path for report in reports] == paths
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
