"""Checking or fixing many files: cached results, a process pool when it pays off."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from flake8_wraps.command.cache import ResultCache
from flake8_wraps.command.worker import FileReport, Job, process_path
from flake8_wraps.model import Finding

# below this many files a process pool costs more than it saves
PARALLEL_THRESHOLD = 48
# The command parses module after module and keeps almost nothing: each syntax tree is
# freed by reference counting once its file is done (the index breaks its own cycles),
# so the collector's default thresholds only make it walk trees that are still being
# built.  Larger thresholds spare it most of those passes.
GC_THRESHOLDS = (50_000, 10, 10)


def _process_batch(batch: Sequence[str], job: Job) -> list[FileReport]:
    return [process_path(path, job) for path in batch]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def process_paths(
    paths: Sequence[str],
    job: Job,
    jobs: int,
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
) -> Iterator[FileReport]:
    """Reports for ``paths``; in a process pool when it pays off; cached when unchanged.

    A file whose cached result has no fix to make is not processed again, in any mode.
    """
    if cache is None:
        job = replace(job, keyed=False)
    hits: dict[str, list[Finding]] = {}
    todo: list[str] = []
    for path in paths:
        cached = cache.lookup(path) if cache is not None else None
        if cached is None or _has_fix_to_make(cached, job):
            todo.append(path)
        else:
            hits[path] = cached
    processed = _process_all(todo, job, jobs)
    for done, path in enumerate(paths, start=1):  # in the order given, cached or not
        if path in hits:
            report = FileReport(path, hits.pop(path))
        else:
            report = next(processed)
            if cache is not None and _cacheable(report):
                assert report.stat is not None and report.digest is not None
                cache.store(report.path, report.stat, report.digest, report.findings)
        yield report
        if progress:
            progress(done)
    if cache is not None:
        cache.save()


def _has_fix_to_make(findings: list[Finding], job: Job) -> bool:
    if job.mode == "check":
        return False
    return any(f.fix is not None and (f.fix.safe or job.unsafe) for f in findings)


def _cacheable(report: FileReport) -> bool:
    """Results of a file read whole and left as it was (so they are its check results)."""
    return (
        report.error is None
        and report.applied == 0
        and report.stat is not None
        and report.digest is not None
    )


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while many files are processed (see GC_THRESHOLDS)."""
    before = gc.get_threshold()
    tune_collector()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def tune_collector() -> None:
    gc.freeze()  # what the imports made lives as long as the process: never scan it
    gc.set_threshold(*GC_THRESHOLDS)


def _process_all(paths: Sequence[str], job: Job, jobs: int) -> Iterator[FileReport]:
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        with fewer_collections():
            for path in paths:
                yield process_path(path, job)
        return
    size = max(4, min(64, len(paths) // (jobs * 8) or 1))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs, initializer=tune_collector) as pool:
        for reports in pool.map(_process_batch, batches, [job] * len(batches)):
            yield from reports
