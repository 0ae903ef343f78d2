"""Checking or fixing many files: cached results, a process pool when it pays off.

SIGTERM is handled like SIGINT (``^C``): it raises :class:`Terminated` where the
process is, so a file being written removes its temporary file; the main process then
stops its workers (each cleans up the same way and exits) and reports.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from flake8_wraps.analysis.applied import applied_under
from flake8_wraps.analysis.project import project_root
from flake8_wraps.command.cache import Cached, ResultCache
from flake8_wraps.command.worker import FileReport, Job, process_path
from flake8_wraps.model import Finding

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# below this many files a process pool costs more than it saves
PARALLEL_THRESHOLD = 48
# The command parses module after module and keeps almost nothing: each syntax tree is
# freed by reference counting once its file is done (the index breaks its own cycles),
# so the collector's default thresholds only make it walk trees that are still being
# built.  Larger thresholds spare it most of those passes.
GC_THRESHOLDS = (50_000, 10, 10)


class WorkerLost(Exception):
    """A worker process died (killed from outside, out of memory); one line for the user."""


class Terminated(BaseException):
    """The process got SIGTERM (a ``BaseException``, like ``KeyboardInterrupt``, so no
    per-file error boundary takes it for a file's error)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def handle_sigterm() -> None:
    """Make SIGTERM raise :class:`Terminated` in this process."""
    signal.signal(signal.SIGTERM, _raise_terminated)


_working = False  # in a worker: whether it is checking or fixing files right now


def _stop_worker(signum: int, frame: object) -> None:
    if _working:
        # the file being written removes its temporary file; a second signal (the
        # command stops its workers when it is stopped itself) must not cut that short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise Terminated
    os._exit(2)  # waiting for work: nothing to clean up


def _start_worker() -> None:
    signal.signal(signal.SIGTERM, _stop_worker)
    signal.signal(signal.SIGINT, _stop_worker)  # ^C reaches the whole process group
    tune_collector()


def _process_batch(batch: Sequence[str], job: Job) -> list[FileReport]:
    global _working
    _working = True
    try:
        return [process_path(path, job) for path in batch]
    except (Terminated, KeyboardInterrupt):
        # leave now rather than take the next batch the pool may already have sent
        os._exit(2)
    finally:
        _working = False


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
) -> Generator[FileReport, None, None]:
    """Reports for ``paths``; in a process pool when it pays off; cached when unchanged.

    A file whose cached result has nothing to do (no fix to make, no comment to add to
    a finding outside the baseline) is not processed again, in any mode.
    """
    if cache is None:
        job = replace(job, keyed=False)
    hits: dict[str, Cached] = {}
    todo: list[str] = []
    for path in paths:
        cached = cache.lookup(path) if cache is not None else None
        if cached is None or _has_work(path, cached.findings, job):
            todo.append(path)
        else:
            hits[path] = cached
    processed = _process_all(todo, job, jobs)
    for done, path in enumerate(paths, start=1):  # in the order given, cached or not
        if path in hits:
            cached = hits.pop(path)
            report = FileReport(path, cached.findings)
            report.dependencies = cached.dependencies
            report.shared_views = cached.shared_views
            report.evidence = cached.evidence
        else:
            report = next(processed)
            if cache is not None and _cacheable(report):
                assert report.stat is not None and report.digest is not None
                cache.store(
                    report.path,
                    report.stat,
                    report.digest,
                    report.findings,
                    report.dependencies,
                    report.shared_views,
                    report.evidence,
                )
        yield report
        if progress:
            progress(done)
    for _ in processed:  # lets the pool, if any, shut down in order
        pass
    if cache is not None:
        cache.save()


def _has_work(path: str, findings: list[Finding], job: Job) -> bool:
    if job.mode == "check":
        return False
    if job.baseline is not None:
        findings = job.baseline.split(path, findings)[0]
    if job.mode == "noqa":
        return bool(findings)
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
    # each batch takes the part of the baseline about its files, not all of it
    baseline = job.baseline
    jobs_of = [
        job if baseline is None else replace(job, baseline=baseline.restricted(batch))
        for batch in batches
    ]
    from concurrent.futures import BrokenExecutor, ProcessPoolExecutor

    _scan_projects(paths)
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker)
    try:
        for reports in pool.map(_process_batch, batches, jobs_of):
            yield from reports
    except BaseException as error:  # interrupted, terminated, or closed before the end
        _stop(pool)
        if isinstance(error, BrokenExecutor):
            raise WorkerLost(f"a worker process stopped unexpectedly ({error})") from None
        raise
    pool.shutdown()


def _scan_projects(paths: Sequence[str]) -> None:
    """Find where each project of ``paths`` applies decorators (WRP001's evidence of
    use) once, here: workers made by forking inherit it instead of each scanning the
    project again, and the cache keeps it for the next run."""
    folders = {os.path.dirname(os.path.abspath(path)) for path in paths}
    roots = {root for root in map(project_root, folders) if root is not None}
    for root in sorted(roots):
        applied_under(root)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: no new batch, and SIGTERM to those still working."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()
