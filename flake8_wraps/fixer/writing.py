"""Writing a fixed file so that it is never lost or half-written."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile


class WriteError(Exception):
    """A file could not be written; the message is one line for the user."""


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` through a temporary file and ``os.replace``.

    The temporary file lives in the same directory (so the rename is atomic), gets
    the original file's mode, and is removed if anything fails.  A symbolic link is
    followed, so the link stays a link.  A file without write permission for its
    owner is treated as read-only and left alone.
    """
    target = os.path.realpath(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror}") from None
    if not mode & stat.S_IWUSR:
        raise WriteError("cannot write: the file is read-only")
    directory = os.path.dirname(target) or "."
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".flake8-wraps-", suffix=".tmp")
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:  # leave no temporary file behind, even on ^C
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise WriteError(f"cannot write: {error.strerror}") from None
        raise
