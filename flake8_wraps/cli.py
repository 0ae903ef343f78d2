"""The ``flake8-wraps`` command: discovery, checking or fixing, output and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from flake8_wraps import __version__
from flake8_wraps.config import Options
from flake8_wraps.files import DEFAULT_EXCLUDES, FileError, discover
from flake8_wraps.fixer.imports import IMPORT_STYLES
from flake8_wraps.plugin import OPTIONS, options_from
from flake8_wraps.runner import FileReport, Job, default_jobs, process_paths, process_source

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_THRESHOLD = 200


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
        help="files or directories to check, '-' for stdin (default: the current directory)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
        "--wraps-import-style",
        choices=IMPORT_STYLES,
        default="import",
        help="the import a fix adds: 'import functools' (default) or 'from functools import wraps'",
    )
    parser.add_argument(
        "--exclude",
        metavar="PATTERNS",
        help="comma-separated glob patterns to skip, replacing the defaults "
        f"({','.join(DEFAULT_EXCLUDES)})",
    )
    parser.add_argument(
        "--extend-exclude", metavar="PATTERNS", help="comma-separated patterns to skip as well"
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
    for flag, _, _, help_text in OPTIONS:
        parser.add_argument(flag, metavar="NAMES", help=help_text)
    return parser


def _patterns(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(",") if p.strip())


def _mode(args: argparse.Namespace) -> str:
    if args.diff or args.check:
        return "diff"
    return "fix" if args.fix else "check"


def _unique(files: list[str]) -> list[str]:
    """``files`` without a second path to the same file (a symlink beside its target)."""
    seen: set[str] = set()
    unique = []
    for path in files:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def _print_findings(report: FileReport, out: TextIO) -> None:
    for finding in report.findings:
        print(f"{report.path}:{finding.line}:{finding.col + 1}: {finding.message}", file=out)


def _progress(total: int, err: TextIO) -> Callable[[int], None] | None:
    if total < PROGRESS_THRESHOLD or not err.isatty():
        return None

    def show(done: int) -> None:
        end = "\n" if done >= total else ""
        err.write(f"\rflake8-wraps: {done}/{total} files{end}")
        err.flush()

    return show


def _summary(mode: str, reports: list[FileReport]) -> str:
    fixes = sum(r.applied for r in reports)
    files = sum(1 for r in reports if r.applied)
    left = sum(len(r.findings) for r in reports)
    fix_word = "fix" if fixes == 1 else "fixes"
    file_word = "file" if files == 1 else "files"
    left_word = "finding" if left == 1 else "findings"
    verb = "" if mode == "fix" else " would be made"
    return f"{fixes} {fix_word}{verb} in {files} {file_word}, {left} {left_word} left"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        options: Options = options_from(args)
    except ValueError as error:
        print(f"flake8-wraps: error: {error}", file=err)
        return EXIT_ERROR
    mode = _mode(args)
    job = Job(options, mode, args.unsafe_fixes, args.wraps_import_style)
    excludes = (
        _patterns(args.exclude) if args.exclude is not None else DEFAULT_EXCLUDES
    ) + _patterns(args.extend_exclude)
    paths: list[str] = args.paths or ["."]
    jobs = args.jobs if args.jobs > 0 else default_jobs()

    reports: list[FileReport] = []
    stdin_report: FileReport | None = None
    if "-" in paths:
        source = sys.stdin.buffer.read()
        stdin_report = process_source(args.stdin_filename, source, job)
        if mode == "fix":
            # editors read the fixed module from stdout; everything else goes to stderr
            sys.stdout.buffer.write(stdin_report.fixed or source)
            sys.stdout.flush()
            out = err
        reports.append(stdin_report)
        paths = [p for p in paths if p != "-"]
    errors: list[FileError] = []
    files = _unique(list(discover(paths, excludes, errors)))
    reports.extend(FileReport(error.path, error=error) for error in errors)
    try:
        reports.extend(process_paths(files, job, jobs, _progress(len(files), err)))
    except KeyboardInterrupt:
        print("flake8-wraps: interrupted", file=err)
        return EXIT_ERROR

    reports.sort(key=lambda report: report.path)
    for report in reports:
        if report.error is not None:
            print(report.error, file=err)
        if mode != "diff":
            _print_findings(report, out)
        elif args.diff:
            out.write(report.diff)
        elif report.applied:
            noun = "fix" if report.applied == 1 else "fixes"
            print(f"would fix {report.path} ({report.applied} {noun})", file=out)
    if mode != "check":
        print(_summary(mode, reports), file=err)
    return _exit_code(mode, reports)


def _exit_code(mode: str, reports: list[FileReport]) -> int:
    if any(report.error for report in reports):
        return EXIT_ERROR
    if mode == "diff":
        return EXIT_FINDINGS if any(report.applied for report in reports) else EXIT_CLEAN
    return EXIT_FINDINGS if any(report.findings for report in reports) else EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
