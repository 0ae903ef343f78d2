"""The flake8 adapter: flake8's options in, the core's findings out as flake8 tuples."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from typing import Any

from flake8_wraps import __version__
from flake8_wraps.analysis.core import analyze
from flake8_wraps.analysis.project import ModuleScope, Project
from flake8_wraps.options import ANALYSIS_OPTIONS, PATHS, WRAPS_SOURCE_ROOTS, Options
from flake8_wraps.registry import INTERNAL_ERROR

LOG = logging.getLogger(__name__)


def options_from(values: Any) -> Options:
    """Build :class:`Options` from flake8's parsed options (an object with attributes).

    Raises ``ValueError`` with a one-line message naming the option on a bad value.
    """
    values_by_name: dict[str, Any] = {}
    for option in ANALYSIS_OPTIONS:
        raw = getattr(values, option.dest, None)
        if raw is not None:
            values_by_name[option.name] = option.parse(raw, option.flag)
    return Options(values_by_name)


# the project's summaries, made once per file version in this process, per options
_projects: dict[Options, Project] = {}


def _scope(filename: str, options: Options) -> ModuleScope | None:
    """The checked file's view of the project (imports resolve from its folder)."""
    if filename in ("-", "stdin", "(none)"):
        return None
    project = _projects.get(options)
    if project is None:
        project = _projects[options] = Project(options, options[WRAPS_SOURCE_ROOTS])
    return project.scope(filename)


class WrapsChecker:
    """flake8 plugin entry point (code prefix ``WRP``)."""

    name = "flake8-wraps"
    version = __version__
    options = Options()

    def __init__(self, tree: ast.AST, filename: str = "(none)") -> None:
        self.tree = tree
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        for option in ANALYSIS_OPTIONS:
            manager.add_option(
                option.flag,
                default=",".join(option.default),
                parse_from_config=True,
                comma_separated_list=True,
                normalize_paths=option.kind == PATHS,  # from the config file's folder
                help=option.help,
            )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        from flake8.exceptions import ExecutionError  # type: ignore[import-untyped]

        try:
            cls.options = options_from(options)
        except ValueError as error:
            raise ExecutionError(f"flake8-wraps: {error}") from None

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        # flake8 turns a plugin exception into a crash of the whole run: report instead
        try:
            findings = analyze(self.tree, self.options, _scope(self.filename, self.options))
        except Exception as error:
            LOG.debug("flake8-wraps failed on %s", self.filename, exc_info=True)
            message = INTERNAL_ERROR.format(error=f"{type(error).__name__}: {error}")
            yield 1, 0, message, type(self)
            return
        for finding in findings:
            yield finding.line, finding.col, finding.message, type(self)
