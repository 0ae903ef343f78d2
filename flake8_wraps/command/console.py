"""Where the command writes: results on stdout, errors and the summary on stderr, and
a progress line on stderr when it is a terminal and the run is long.

The progress line is redrawn a few times a second at most and cleared before anything
else is written, and at the end.  A failure to write the output (a full disk, a closed
pipe) becomes :class:`OutputError`, one line for the user.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

PROGRESS_THRESHOLD = 200  # files
REDRAW_INTERVAL = 0.2  # seconds


class OutputError(Exception):
    """The output could not be written; the message is one line for the user."""


class Console:
    def __init__(
        self,
        out: TextIO,
        err: TextIO,
        total: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.out = out
        self.err = err
        self.total = total if total >= PROGRESS_THRESHOLD and _is_terminal(err) else 0
        self.clock = clock
        self._shown = ""  # the progress text on the screen now
        self._drawn_at: float | None = None

    def result(self, text: str) -> None:
        """Findings, diffs, documents: the command's results."""
        if text:
            self._clear()
            self._write(self.out, text)

    def error(self, line: str) -> None:
        self._clear()
        self._write(self.err, f"{line}\n")

    def write(self, stream: TextIO, text: str) -> None:
        """Text for a stream other than the results' (``--count`` goes to stdout even
        when the results go to a file)."""
        self._clear()
        self._write(stream, text)

    def progress(self, done: int) -> None:
        if not self.total:
            return
        now = self.clock()
        if self._drawn_at is not None and now - self._drawn_at < REDRAW_INTERVAL:
            return
        self._drawn_at = now
        text = f"flake8-wraps: {done}/{self.total} files"
        self._write(self.err, f"\r{text}")
        self._shown = text
        self._flush(self.err)

    def close(self) -> None:
        """Clear the progress line and flush what is written."""
        self._clear()
        self._flush(self.out)
        self._flush(self.err)

    def _clear(self) -> None:
        if self._shown:
            self._write(self.err, "\r" + " " * len(self._shown) + "\r")
            self._shown = ""
            self._flush(self.err)

    @staticmethod
    def _write(stream: TextIO, text: str) -> None:
        try:
            stream.write(text)
        except OSError as error:
            raise OutputError(f"cannot write the output: {error.strerror or error}") from None

    @staticmethod
    def _flush(stream: TextIO) -> None:
        try:
            stream.flush()
        except OSError as error:
            raise OutputError(f"cannot write the output: {error.strerror or error}") from None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False
