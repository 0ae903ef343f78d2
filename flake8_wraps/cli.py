"""The ``flake8-wraps`` command: discovery, checking, output and exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from flake8_wraps import __version__
from flake8_wraps.config import Options
from flake8_wraps.files import DEFAULT_EXCLUDES, FileError, discover
from flake8_wraps.plugin import OPTIONS, options_from
from flake8_wraps.runner import FileReport, check_paths, check_source, default_jobs

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="flake8-wraps",
        description=(
            "Find decorators that lose functools.wraps and decorators written above "
            "@app.route (and other registering decorators)."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories to check, '-' for stdin (default: the current directory)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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


def _print_report(report: FileReport, out: TextIO, err: TextIO) -> None:
    if report.error is not None:
        print(report.error, file=err)
        return
    for finding in report.findings:
        print(f"{report.path}:{finding.line}:{finding.col + 1}: {finding.message}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        options: Options = options_from(args)
    except ValueError as error:
        print(f"flake8-wraps: error: {error}", file=err)
        return EXIT_ERROR
    excludes = (
        _patterns(args.exclude) if args.exclude is not None else DEFAULT_EXCLUDES
    ) + _patterns(args.extend_exclude)
    paths: list[str] = args.paths or ["."]
    jobs = args.jobs if args.jobs > 0 else default_jobs()

    reports: list[FileReport] = []
    if "-" in paths:
        source = sys.stdin.buffer.read()
        reports.append(check_source(args.stdin_filename, source, options))
        paths = [p for p in paths if p != "-"]
    errors: list[FileError] = []
    files = list(discover(paths, excludes, errors))
    reports.extend(FileReport(error.path, error=error) for error in errors)
    try:
        reports.extend(check_paths(files, options, jobs))
    except KeyboardInterrupt:
        print("flake8-wraps: interrupted", file=err)
        return EXIT_ERROR

    reports.sort(key=lambda report: report.path)
    for report in reports:
        _print_report(report, out, err)
    if any(report.error for report in reports):
        return EXIT_ERROR
    if any(report.findings for report in reports):
        return EXIT_FINDINGS
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
