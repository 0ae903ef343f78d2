"""Writing a fixed file so that nothing is lost, half-written or taken from its owner.

A file is replaced only when all of this holds, and is otherwise left as it is with
one line saying why:

- it is still the file that was read: same identity, size, modification time and
  bytes (an edit made by someone else while the fix was computed is kept);
- it has one name (replacing a hard-linked file would leave the other names with the
  old content);
- the process may write it (its access to the file, not the owner's write bit alone;
  a file without its owner's write bit counts as read-only, even for root);
- the new file can get the old one's owner and group.

The new content goes to a temporary file in the same folder, gets the old file's mode,
owner and group, and takes the old file's place with ``os.replace``; the temporary
file is removed if anything fails, ``KeyboardInterrupt`` included.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile

from flake8_wraps.source import SourceFile


class WriteError(Exception):
    """A file could not be written; the message is one line for the user."""


def write_atomically(path: str, data: bytes, read: SourceFile, done: str = "fixed") -> None:
    """Replace ``path``'s content, which was ``read``, with ``data`` (see the module's
    docstring).  A symbolic link is followed, so the link stays a link.  ``done`` says
    what the change is in the messages (``not fixed: ...``)."""
    target = os.path.realpath(path)
    status = _writable(target, read, done)
    directory = os.path.dirname(target) or "."
    # ^C and SIGTERM wait while the temporary file is made, until the block that
    # removes it on any exception is entered: none can leave it behind in between
    held = _hold_signals()
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".flake8-wraps-", suffix=".tmp")
    except OSError as error:
        _release_signals(held)
        raise WriteError(f"cannot write: {error.strerror}") from None
    try:
        _release_signals(held)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        _keep_owner(temporary, status, done)
        if _changed_since(target, read):  # once more, as late as possible
            raise WriteError(_CHANGED.format(done=done))
        os.replace(temporary, target)
    except BaseException as error:  # leave no temporary file behind, even on ^C
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise WriteError(f"cannot write: {error.strerror}") from None
        raise


_CHANGED = "changed while it was being {done}; not {done}, left as it is now"
_HELD = {signal.SIGINT, signal.SIGTERM}


def _hold_signals() -> set[int | signal.Signals] | None:
    """Block ^C and SIGTERM in this thread (where the platform can): they are delivered
    when released.  Returns the mask to restore."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)


def _release_signals(held: set[int | signal.Signals] | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _writable(target: str, read: SourceFile, done: str) -> os.stat_result:
    try:
        status = os.stat(target)
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror}") from None
    if _changed_since(target, read, status):
        raise WriteError(_CHANGED.format(done=done))
    if not status.st_mode & stat.S_IWUSR:
        raise WriteError("cannot write: the file is read-only")
    if not os.access(target, os.W_OK):
        raise WriteError("cannot write: permission denied")
    if status.st_nlink > 1:
        raise WriteError(
            f"not {done}: the file has {status.st_nlink} hard links, which replacing it would split"
        )
    return status


def _changed_since(target: str, read: SourceFile, status: os.stat_result | None = None) -> bool:
    """Whether the file at ``target`` is no longer the one ``read`` holds."""
    try:
        now = status if status is not None else os.stat(target)
        before = read.status
        if (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) != (
            before.st_dev,
            before.st_ino,
            before.st_size,
            before.st_mtime_ns,
        ):
            return True
        with open(target, "rb") as handle:
            return handle.read(len(read.data) + 1) != read.data
    except OSError:
        return True


def _keep_owner(temporary: str, status: os.stat_result, done: str) -> None:
    made = os.stat(temporary)
    if (made.st_uid, made.st_gid) == (status.st_uid, status.st_gid):
        return
    try:
        os.chown(temporary, status.st_uid, status.st_gid)
    except PermissionError:
        raise WriteError(f"not {done}: the new file could not keep the owner and group") from None
