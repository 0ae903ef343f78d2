"""Checking and fixing files: one file, or many in parallel, from the analysis core."""

from __future__ import annotations

import difflib
import gc
import io
import os
import tokenize
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from flake8_wraps.cache import ResultCache, digest_of
from flake8_wraps.config import Options
from flake8_wraps.files import FileError, parse_source, read_source
from flake8_wraps.model import Finding, Fix
from flake8_wraps.noqa import analyze_source

# below this many files a process pool costs more than it saves
PARALLEL_THRESHOLD = 48
# The command parses module after module and keeps almost nothing: each syntax tree is
# freed by reference counting once its file is done (the index breaks its own cycles),
# so the collector's default thresholds only make it walk trees that are still being
# built.  Larger thresholds spare it most of those passes.
GC_THRESHOLDS = (50_000, 10, 10)

MODES = ("check", "fix", "diff")


@dataclass
class FileReport:
    """What checking (or fixing) one file gave.

    ``applied`` counts the findings fixed (or that would be, in ``diff`` mode);
    ``findings`` are those left; ``diff`` is the unified diff in ``diff`` mode.
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    applied: int = 0
    diff: str = ""
    fixed: bytes | None = None
    stat: tuple[int, int] | None = None  # mtime_ns and size of what was read
    digest: str | None = None  # hash of what was read


@dataclass(frozen=True)
class Job:
    """What to do with each file: the analysis options, the mode and the fix settings."""

    options: Options
    mode: str = "check"
    unsafe: bool = False
    import_style: str = "import"
    keyed: bool = True  # record each file's stat and content hash (the cache's keys)


def check_source(path: str, source: bytes, options: Options) -> FileReport:
    tree = parse_source(path, source)
    if isinstance(tree, FileError):
        return FileReport(path, error=tree)
    try:
        findings = analyze_source(tree, source, options)
    except RecursionError:
        return FileReport(path, error=FileError(path, "nested too deeply to analyse"))
    return FileReport(path, findings)


def process_source(path: str, source: bytes, job: Job) -> FileReport:
    """Check or fix ``source`` as ``job`` says; writes nothing."""
    if job.mode == "check":
        return check_source(path, source, job.options)
    from flake8_wraps.fixer.engine import FixSettings, fix_source

    settings = FixSettings(unsafe=job.unsafe, import_style=job.import_style)
    outcome = fix_source(path, source, job.options, settings)
    report = FileReport(path, outcome.findings, outcome.error, outcome.applied)
    if outcome.changed:
        report.fixed = outcome.fixed
        if job.mode == "diff":
            report.diff = unified_diff(path, source, outcome.fixed)
    return report


def process_path(path: str, job: Job) -> FileReport:
    """Check or fix one file; in ``fix`` mode, write it when its bytes changed."""
    stat: tuple[int, int] | None = None
    if job.keyed:
        try:
            status = os.stat(path)
            stat = (status.st_mtime_ns, status.st_size)
        except OSError:
            pass
    source = read_source(path)
    if isinstance(source, FileError):
        return FileReport(path, error=source)
    report = process_source(path, source, job)
    if job.keyed:
        report.stat, report.digest = stat, digest_of(source)
    if job.mode == "check":  # only whether a fix exists, and its safety, is reported
        report.findings = [_without_edits(finding) for finding in report.findings]
    if job.mode == "fix" and report.fixed is not None:
        from flake8_wraps.fixer.writing import WriteError, write_atomically

        try:
            write_atomically(path, report.fixed)
        except WriteError as error:
            findings = check_source(path, source, job.options).findings
            return FileReport(path, findings, FileError(path, str(error)))
    report.fixed = None  # the bytes are written; don't carry them between processes
    return report


def _without_edits(finding: Finding) -> Finding:
    if finding.fix is None or not finding.fix.edits:
        return finding
    return replace(finding, fix=Fix(finding.fix.safe, ()))


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A unified diff that ``patch`` applies: lines split only where Python splits them."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(old).readline)
    before = io.StringIO(old.decode(encoding), newline="").readlines()
    after = io.StringIO(new.decode(encoding), newline="").readlines()
    out: list[str] = []
    for line in difflib.unified_diff(before, after, fromfile=path, tofile=path):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


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
