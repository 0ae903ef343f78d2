"""The ``flake8-wraps`` command: discovery, checking or fixing, output and exit codes."""

from __future__ import annotations

import argparse
import heapq
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import TextIO

import flake8_wraps
from flake8_wraps.command import output
from flake8_wraps.command.baseline import Baseline, BaselineError, shown
from flake8_wraps.command.baseline import write as write_baseline
from flake8_wraps.command.cache import SharedView, from_environment
from flake8_wraps.command.config import ConfigError, Settings, load
from flake8_wraps.command.console import Console, OutputError
from flake8_wraps.command.discovery import discover
from flake8_wraps.command.explain import rule_page
from flake8_wraps.command.per_file import PerFileIgnores
from flake8_wraps.command.runner import (
    Terminated,
    WorkerLost,
    default_jobs,
    handle_sigterm,
    process_paths,
)
from flake8_wraps.command.worker import FileReport, Job, process_path, process_source
from flake8_wraps.model import Finding
from flake8_wraps.noqa import physical_lines
from flake8_wraps.options import (
    BASELINE,
    COUNT,
    FORMAT,
    MAX_FILE_SIZE,
    OPTIONS,
    QUIET,
    SHOW_FIXES,
    SHOW_SOURCE,
    STATISTICS,
    SWITCH,
    TIMES,
    WRAPS_IMPORT_STYLE,
)
from flake8_wraps.registry import BY_CODE, RULES
from flake8_wraps.rules.endpoints import shared_endpoint_clashes
from flake8_wraps.source import FileError, read_source

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Version(argparse.Action):
    """``--version``, reading the version only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"{parser.prog} {flake8_wraps.__version__}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="flake8-wraps",
        description=(
            "Find decorators that lose functools.wraps and decorators written above "
            "@app.route (and other registering decorators); fix them with --fix."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories to check, '-' for stdin (default: the current directory); "
        "'flake8-wraps server' starts the language server instead (check a path named "
        "server as ./server)",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    parser.add_argument(
        "--explain", metavar="CODE", help="print the documentation of a rule and exit"
    )
    modes = parser.add_argument_group("fixing")
    modes.add_argument("--fix", action="store_true", help="rewrite files with the safe fixes")
    modes.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )
    modes.add_argument(
        "--check",
        action="store_true",
        help="write nothing, list the files a fix would change, and exit 1 if there are any",
    )
    modes.add_argument(
        "--unsafe-fixes", action="store_true", help="apply the unsafe fixes too (see the docs)"
    )
    modes.add_argument(
        "--fix-through-symlinks",
        action="store_true",
        help="also fix files reached through a symbolic link whose target lies outside "
        "the paths given (a flag only: no configuration file can turn it on)",
    )
    _add_options(modes, "fixing")
    config = parser.add_argument_group("configuration")
    config.add_argument(
        "--config",
        metavar="PATH",
        help="read options from this file (pyproject.toml, .flake8, setup.cfg or tox.ini)",
    )
    config.add_argument("--isolated", action="store_true", help="ignore configuration files")
    _add_options(config, "configuration")
    shown = parser.add_argument_group("output")
    shown.add_argument(
        "-o",
        "--output-file",
        metavar="PATH",
        help="write the report to this file (replacing it) instead of stdout",
    )
    shown.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report: auto (the default) on a terminal, where NO_COLOR "
        "turns it off and FORCE_COLOR on; never in other formats or with -o",
    )
    shown.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when there are findings (or fixes to make); 2 still means an error",
    )
    _add_options(shown, "output")
    adopting = parser.add_argument_group("baseline and noqa comments")
    _add_options(adopting, "baseline")
    adopting.add_argument(
        "--no-baseline",
        action="store_true",
        help="ignore the configured baseline: report, fix and comment every finding",
    )
    adopting.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record every current finding in this baseline file (replacing it) and exit",
    )
    adopting.add_argument(
        "--add-noqa",
        action="store_true",
        help="add '# noqa: CODE' comments to the lines of the findings (to the existing "
        "noqa comment when the line has one)",
    )
    adopting.add_argument(
        "--add-noqa-reason",
        metavar="REASON",
        help="with --add-noqa: write REASON after the codes of each new comment",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="PATH",
        help="where to keep the results cache (default: .flake8_wraps_cache; "
        "or set FLAKE8_WRAPS_CACHE_DIR)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the results cache (or set FLAKE8_WRAPS_NO_CACHE=1)",
    )
    parser.add_argument(
        "--no-gitignore",
        action="store_true",
        help="also check files that .gitignore files exclude",
    )
    parser.add_argument(
        "--stdin-filename", metavar="NAME", default="-", help="the name to report for stdin"
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="processes to use for many files (default: all cores)",
    )
    return parser


def _real_paths(paths: list[str]) -> tuple[str, ...]:
    """Where ``--fix`` may write: under the real path of each path given."""
    return tuple(os.path.realpath(path) for path in paths if path != "-")


def _add_options(group: argparse._ArgumentGroup, name: str) -> None:
    """The options of the table that ``--help`` lists in ``group``; their values are
    checked with the config files' values, by :func:`config.load`."""
    for option in OPTIONS:
        if option.group != name:
            continue
        flags = (option.short, option.flag) if option.short else (option.flag,)
        if option.kind == SWITCH:
            group.add_argument(
                *flags, dest=option.dest, action="store_const", const=True, help=option.help
            )
            group.add_argument(
                f"--no-{option.name}",
                dest=option.dest,
                action="store_const",
                const=False,
                help=f"turn {option.flag} off (when a configuration file turns it on)",
            )
        elif option.kind == TIMES:
            group.add_argument(*flags, dest=option.dest, action="count", help=option.help)
        else:
            group.add_argument(*flags, metavar=option.shown_metavar, help=option.help)


def _mode(args: argparse.Namespace) -> str:
    if args.diff or args.check:
        return "diff"
    if args.add_noqa:
        return "noqa"
    return "fix" if args.fix else "check"


def _usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the flags together, or None."""
    fixing = [
        f for f, on in (("--fix", args.fix), ("--diff", args.diff), ("--check", args.check)) if on
    ]
    if args.add_noqa and fixing:
        return f"--add-noqa cannot be used with {fixing[0]}"
    if args.write_baseline is not None and (fixing or args.add_noqa):
        return f"--write-baseline cannot be used with {(fixing or ['--add-noqa'])[0]}"
    if args.add_noqa_reason is not None:
        if not args.add_noqa:
            return "--add-noqa-reason needs --add-noqa"
        from flake8_wraps.fixer.noqa_comments import reason_problem

        problem = reason_problem(args.add_noqa_reason)
        if problem is not None:
            return f"--add-noqa-reason: {problem}"
    return None


class Tally:
    """What the run found, kept as counts so reports can be dropped once printed."""

    def __init__(self) -> None:
        self.errors = 0
        self.fixes = 0
        self.files_fixed = 0
        self.left = 0
        # per code: the number of findings and the message of the first (--statistics)
        self.by_code: dict[str, tuple[int, str]] = {}
        self.fixed: list[tuple[str, tuple[str, ...]]] = []  # path, codes fixed (--show-fixes)

    def add(self, report: FileReport) -> None:
        self.errors += report.error is not None
        self.fixes += report.applied
        self.files_fixed += report.applied > 0
        self.left += len(report.findings)
        for finding in report.findings:
            count, message = self.by_code.get(finding.code, (0, finding.message))
            self.by_code[finding.code] = (count + 1, message)
        if report.fixed_codes:
            self.fixed.append((report.path, report.fixed_codes))

    def summary(self, mode: str) -> str:
        file_word = "file" if self.files_fixed == 1 else "files"
        left_word = "finding" if self.left == 1 else "findings"
        if mode == "noqa":
            comment_word = "comment" if self.fixes == 1 else "comments"
            return (
                f"{self.fixes} noqa {comment_word} added to {self.files_fixed} {file_word}, "
                f"{self.left} {left_word} left"
            )
        fix_word = "fix" if self.fixes == 1 else "fixes"
        verb = "" if mode == "fix" else " would be made"
        return (
            f"{self.fixes} {fix_word}{verb} in {self.files_fixed} {file_word}, "
            f"{self.left} {left_word} left"
        )

    def statistics(self) -> str:
        return output.statistics(
            {
                code: (count, message[len(code) + 1 :])
                for code, (count, message) in self.by_code.items()
            }
        )

    def fixes_made(self, mode: str) -> list[str]:
        """--show-fixes: one line per file fixed, with the number of fixes of each code."""
        verb = "fixed" if mode == "fix" else "would fix"
        lines = []
        for path, codes in self.fixed:
            parts = ", ".join(
                f"{codes.count(code)} x {code} ({BY_CODE[code].name})"
                for code in sorted(set(codes))
            )
            lines.append(f"{verb} {path}: {parts}")
        return lines

    def exit_code(self, mode: str, exit_zero: bool = False) -> int:
        if self.errors:
            return EXIT_ERROR
        if exit_zero:
            return EXIT_CLEAN
        if mode == "diff":
            return EXIT_FINDINGS if self.fixes else EXIT_CLEAN
        return EXIT_FINDINGS if self.left else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["server"]:  # the language server; ./server is the path
        from flake8_wraps.server import main as serve

        return serve(arguments[1:])
    parser = build_parser()
    args = parser.parse_args(arguments)
    with _streams_for_any_file_name(), _sigterm_stops_the_run():
        try:
            return _run(args)
        except OutputError as error:
            return _output_failed(error)


@contextmanager
def _streams_for_any_file_name() -> Iterator[None]:
    """Write file names that are not valid UTF-8 back as the bytes they are."""
    streams = [s for s in (sys.stdout, sys.stderr) if hasattr(s, "reconfigure")]
    before = [stream.errors for stream in streams]
    for stream in streams:
        stream.reconfigure(errors="surrogateescape")
    try:
        yield
    finally:
        for stream, errors in zip(streams, before):
            stream.reconfigure(errors=errors)


@contextmanager
def _sigterm_stops_the_run() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.getsignal(signal.SIGTERM)
    handle_sigterm()
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _output_failed(error: OutputError) -> int:
    """One line on stderr if it can still take one; stdout pointed at nothing, so the
    interpreter's last flush of what is left in its buffer does not fail again."""
    with suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    with suppress(OSError, ValueError):
        sys.stderr.write(f"flake8-wraps: error: {error}\n")
        sys.stderr.flush()
    return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    if args.explain is not None:
        page = rule_page(args.explain)
        if page is None:
            print(f"flake8-wraps: error: unknown rule code {args.explain!r}", file=err)
            return EXIT_ERROR
        console = Console(out, err, 0)
        console.result(page)
        console.close()
        return EXIT_CLEAN
    problem = _usage_problem(args)
    if problem is not None:
        print(f"flake8-wraps: error: {problem}", file=err)
        return EXIT_ERROR
    paths: list[str] = args.paths or ["."]
    flags = {
        option.name: getattr(args, option.dest)
        for option in OPTIONS
        if getattr(args, option.dest) is not None
    }
    try:
        settings = load(paths, args.config, args.isolated, flags)
        # --write-baseline records every finding: the baseline it replaces is not read
        ignored = args.no_baseline or args.write_baseline is not None
        baseline_file = None if ignored else settings[BASELINE]
        baseline = Baseline.load(baseline_file) if baseline_file is not None else None
    except (ConfigError, BaselineError) as error:
        print(f"flake8-wraps: error: {error}", file=err)
        return EXIT_ERROR
    for warning in settings.warnings:
        print(f"flake8-wraps: warning: {warning}", file=err)
    notice = settings.silencing_notice(rule.code for rule, _ in RULES)
    if notice is not None:
        print(f"flake8-wraps: notice: {notice}", file=err)
    with _output_file(args.output_file) as report_file:
        return _check(args, paths, settings, report_file, baseline)


@contextmanager
def _output_file(path: str | None) -> Iterator[TextIO | None]:
    """``--output-file``: the file the report goes to, made anew (and its folder, as
    flake8 makes it), or None."""
    if path is None:
        yield None
        return
    try:
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        stream = open(path, "w", encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        yield stream
    finally:
        with suppress(OSError):
            stream.close()


def use_color(choice: str, stream: TextIO) -> bool:
    """``--color``: ``always``, ``never``, or (``auto``) when ``stream`` is a terminal;
    under ``auto``, a non-empty ``NO_COLOR`` turns colour off and a non-empty
    ``FORCE_COLOR`` turns it on."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def _check(
    args: argparse.Namespace,
    paths: list[str],
    settings: Settings,
    report_file: TextIO | None,
    baseline: Baseline | None,
) -> int:
    out, err = sys.stdout, sys.stderr
    options = settings.options(BY_CODE)
    per_file = PerFileIgnores.from_settings(settings.values, BY_CODE)
    output_format = settings[FORMAT]
    mode = _mode(args)
    max_size = settings[MAX_FILE_SIZE]
    roots = None if args.fix_through_symlinks else _real_paths(paths)
    job = Job(
        options,
        mode,
        args.unsafe_fixes,
        settings[WRAPS_IMPORT_STYLE],
        max_size=max_size,
        write_roots=roots,
        per_file=per_file,
        # a check reports every finding; the baseline is applied to the reports here
        baseline=baseline if mode != "check" else None,
        noqa_reason=(args.add_noqa_reason or "").strip(),
    )
    jobs = args.jobs if args.jobs > 0 else default_jobs()
    quiet = settings[QUIET]
    # stdout holds one document that nothing else may be written into
    document = (quiet == 0 and output_format in ("json", "sarif")) or args.diff
    color = report_file is None and output_format == "text" and use_color(args.color, sys.stdout)
    stdin_sources: dict[str, bytes] = {}

    def source_lines(path: str) -> list[str]:
        source = stdin_sources.get(path)
        if source is None:
            read = read_source(path, max_size)
            if isinstance(read, FileError):
                return []
            source = read.data
        return physical_lines(source)

    named: set[str] = set()  # --quiet: the files named already

    def render(reports: list[FileReport], unchanged: dict[str, list[Finding]] | None = None) -> str:
        if quiet:
            fresh = [r for r in reports if r.findings and r.path not in named]
            named.update(r.path for r in fresh)
            return "" if quiet > 1 else output.file_names((r.path, r.findings) for r in fresh)
        shown = source_lines if settings[SHOW_SOURCE] else None
        return _render(output_format, reports, color, shown, unchanged)

    reports: list[FileReport] = []
    stdin_fix = False
    if "-" in paths:
        source = sys.stdin.buffer.read()
        stdin_report = process_source(args.stdin_filename, source, job)
        stdin_sources[args.stdin_filename] = stdin_report.fixed or source
        if mode in ("fix", "noqa"):
            # editors read the fixed module from stdout; everything else goes to stderr
            try:
                sys.stdout.buffer.write(stdin_report.fixed or source)
                sys.stdout.flush()
            except OSError as error:
                raise OutputError(f"cannot write the output: {error.strerror}") from None
            out = err
            stdin_fix = True
        reports.append(stdin_report)
        paths = [p for p in paths if p != "-"]
    results = report_file or out
    errors: list[FileError] = []
    found = discover(paths, settings.excludes(), errors, gitignore=not args.no_gitignore)
    files = sorted(found)
    reports.extend(FileReport(error.path, error=error) for error in errors)
    reports.sort(key=lambda report: report.path)
    # reports are printed as they come, in path order, and dropped: memory stays flat
    # (JSON and SARIF are one document, so those keep the findings; so do --fix, which
    # checks again the files that import from a file it rewrote, --add-noqa, which
    # comments the endpoint clashes between modules, and --write-baseline)
    streaming = (
        (output_format in ("text", "github") or mode == "diff")
        and mode not in ("fix", "noqa")
        and args.write_baseline is None
    )
    kept: list[FileReport] = []
    tally = Tally()
    known = _Known(baseline)
    shared: list[tuple[str, SharedView]] = []  # views on apps shared between modules
    console = Console(results, err, len(files))
    cache = from_environment(args.cache_dir, args.no_cache, options, max_size, per_file.key())
    processed = process_paths(files, job, jobs, console.progress, cache)
    try:
        for report in heapq.merge(reports, processed, key=lambda report: report.path):
            if not streaming:
                kept.append(report)
                continue
            shared.extend((report.path, view) for view in report.shared_views)
            known.split(report)
            tally.add(report)
            if report.error is not None:
                console.error(str(report.error))
            if mode == "diff":
                console.result(_diff_text(report, args.diff))
            else:
                console.result(render([report]))
    except (KeyboardInterrupt, Terminated) as stop:
        processed.close()  # stops the workers, if any
        console.close()
        word = "interrupted" if isinstance(stop, KeyboardInterrupt) else "terminated"
        print(f"flake8-wraps: {word}", file=err)
        return EXIT_ERROR
    except WorkerLost as error:
        console.error(f"flake8-wraps: error: {error}")
        return EXIT_ERROR
    finally:
        processed.close()
    if not streaming:
        if mode == "fix":
            kept = _checked_again(kept, job)
        shared = [(report.path, view) for report in kept for view in report.shared_views]
        clashes = shared_endpoint_clashes(shared)
        if mode == "noqa" and clashes:
            kept = _commented_clashes(kept, clashes, job)
            shared = [(report.path, view) for report in kept for view in report.shared_views]
            clashes = shared_endpoint_clashes(shared)
        for report in kept:
            if report.path in clashes:
                report.findings = sorted(
                    [*report.findings, *clashes[report.path]], key=Finding.sort_key
                )
            if args.write_baseline is None:
                known.split(report)
            tally.add(report)
            if report.error is not None:
                console.error(str(report.error))
        if args.write_baseline is not None:
            return _wrote_baseline(args.write_baseline, kept, tally, console)
        console.result(render(kept, known.unchanged if known.baseline is not None else None))
    else:
        # views that different modules register on one app: known once all are read
        clashes = shared_endpoint_clashes(shared)
        for path in sorted(clashes):
            late = FileReport(path, clashes[path])
            known.split(late)
            tally.add(late)
            if mode != "diff":
                console.result(render([late]))
    if known.hidden:
        console.error(known.summary(output_format == "sarif" and mode != "diff"))
    if settings[STATISTICS]:
        if document:
            console.error(tally.statistics().rstrip("\n"))
        else:
            console.result(tally.statistics())
    if settings[COUNT]:
        # flake8 prints the count on stdout, after everything else, even with -o
        console.write(
            err if stdin_fix or (document and report_file is None) else sys.stdout,
            f"{tally.left}\n",
        )
    if settings[SHOW_FIXES] and mode != "check":
        for line in tally.fixes_made(mode):
            console.error(line)
    if mode != "check" and not quiet:
        console.error(tally.summary(mode))
    console.close()
    return tally.exit_code(mode, args.exit_zero)


class _Known:
    """Splits each report's findings into those the baseline holds and the new ones,
    which the report keeps; counts the former (and keeps them, for SARIF)."""

    def __init__(self, baseline: Baseline | None) -> None:
        self.baseline = baseline
        self.hidden = 0
        self.unchanged: dict[str, list[Finding]] = {}

    def split(self, report: FileReport) -> None:
        if self.baseline is None or not report.findings:
            return
        report.findings, held = self.baseline.split(report.path, report.findings)
        if held:
            self.hidden += len(held)
            self.unchanged.setdefault(report.path, []).extend(held)

    def summary(self, marked: bool) -> str:
        assert self.baseline is not None
        noun = "finding" if self.hidden == 1 else "findings"
        how = "marked unchanged" if marked else "not reported"
        return f"{self.hidden} {noun} in the baseline {self.baseline.name} {how}"


def _wrote_baseline(path: str, reports: list[FileReport], tally: Tally, console: Console) -> int:
    try:
        count = write_baseline(path, [(report.path, report.findings) for report in reports])
    except BaselineError as error:
        console.error(f"flake8-wraps: error: {error}")
        console.close()
        return EXIT_ERROR
    noun = "finding" if count == 1 else "findings"
    console.error(f"{count} {noun} recorded in the baseline {shown(path)}")
    console.close()
    return EXIT_ERROR if tally.errors else EXIT_CLEAN


def _commented_clashes(
    reports: list[FileReport], clashes: dict[str, list[Finding]], job: Job
) -> list[FileReport]:
    """The reports, with ``# noqa`` comments added for the endpoint clashes between
    modules, known only once every module is read: their files are annotated again."""
    again = []
    for report in reports:
        extra = clashes.get(report.path)
        if extra and report.error is None:
            fresh = process_path(report.path, replace(job, extra=tuple(extra)))
            fresh.applied += report.applied
            report = fresh
        again.append(report)
    return again


def _checked_again(reports: list[FileReport], job: Job) -> list[FileReport]:
    """The reports, with those of files that import from a file this run rewrote made
    again: fixing a decorator's module changes what its importers report."""
    written = {os.path.abspath(r.path) for r in reports if r.applied and r.error is None}
    if not written:
        return reports
    check = replace(job, mode="check", keyed=False)
    again = []
    for report in reports:
        if report.error is None and written & {path for path, _, _ in report.dependencies}:
            fresh = process_path(report.path, check)
            if fresh.error is None:
                report = replace(report, findings=fresh.findings, shared_views=fresh.shared_views)
        again.append(report)
    return again


def _diff_text(report: FileReport, full: bool) -> str:
    if full:
        return report.diff
    if report.applied:
        noun = "fix" if report.applied == 1 else "fixes"
        return f"would fix {report.path} ({report.applied} {noun})\n"
    return ""


def _render(
    output_format: str,
    reports: list[FileReport],
    color: bool = False,
    source_lines: Callable[[str], list[str]] | None = None,
    unchanged: dict[str, list[Finding]] | None = None,
) -> str:
    pairs = [(report.path, report.findings) for report in reports]
    if output_format == "json":
        return output.as_json(pairs)
    if output_format == "sarif":
        problems = [str(r.error) for r in reports if r.error is not None]
        return output.sarif(pairs, problems, unchanged)
    if output_format == "github":
        return output.github(pairs)
    return output.text(pairs, color, source_lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
