"""Checking files: one file, or many in parallel, reporting from the analysis core."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from flake8_wraps.analysis.core import analyze
from flake8_wraps.config import Options
from flake8_wraps.files import FileError, parse_source, read_source
from flake8_wraps.model import Finding

# below this many files a process pool costs more than it saves
PARALLEL_THRESHOLD = 48


@dataclass
class FileReport:
    """What checking one file gave: findings, or the error that stopped it."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None


def check_source(path: str, source: bytes, options: Options) -> FileReport:
    tree = parse_source(path, source)
    if isinstance(tree, FileError):
        return FileReport(path, error=tree)
    try:
        findings = analyze(tree, options)
    except RecursionError:
        return FileReport(path, error=FileError(path, "nested too deeply to analyse"))
    return FileReport(path, findings)


def check_path(path: str, options: Options) -> FileReport:
    source = read_source(path)
    if isinstance(source, FileError):
        return FileReport(path, error=source)
    return check_source(path, source, options)


def _check_batch(batch: Sequence[str], options: Options) -> list[FileReport]:
    return [check_path(path, options) for path in batch]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def check_paths(paths: Sequence[str], options: Options, jobs: int) -> Iterator[FileReport]:
    """Reports for ``paths``, in order; in a process pool when it pays off."""
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for path in paths:
            yield check_path(path, options)
        return
    size = max(8, min(64, len(paths) // (jobs * 8) or 1))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for reports in pool.map(_check_batch, batches, [options] * len(batches)):
            yield from reports
