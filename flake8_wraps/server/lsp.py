"""The language server over the protocol (pygls): diagnostics as the document is
opened, changed and saved; the fixes, a ``# noqa`` comment and every safe fix as code
actions.

Diagnostics are published at once on open and save, and 300 ms after the last change
(typing does not check each keystroke).  Every handler is a boundary: what goes wrong
with one document is one line in the client's log, and the server goes on.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

import flake8_wraps
from flake8_wraps.command.output import rule_url
from flake8_wraps.command.worker import open_buffers
from flake8_wraps.model import Finding
from flake8_wraps.server.document import (
    Checked,
    character_prefix,
    check,
    commented_text,
    fix_title,
    fixed_text,
    internal_error,
    line_edit,
    physical,
)

NAME = "flake8-wraps"
DEBOUNCE = 0.3  # seconds after the last change before the document is checked
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{NAME}"


class WrapsServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(NAME, flake8_wraps.__version__)
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.last_logged: dict[str, str] = {}  # per document: the last line logged
        # per document: its version, and the texts the fixes and comments make of it
        # (the fixer parses and verifies the whole module: asked again as the cursor
        # moves, they are made once per version)
        self.made: dict[str, tuple[int | None, dict[tuple[object, ...], str | None]]] = {}

    def made_text(
        self, uri: str, version: int | None, key: tuple[object, ...], make: Callable[[], str | None]
    ) -> str | None:
        """``make()`` for this version of the document, made once."""
        known, texts = self.made.get(uri, (None, {}))
        if known != version or version is None:
            texts = {}
            self.made[uri] = (version, texts)
        if key not in texts:
            texts[key] = make()
        return texts[key]

    def log(self, uri: str, line: str) -> None:
        """One line in the client's log, not repeated while the document says the same."""
        if self.last_logged.get(uri) == line:
            return
        self.last_logged[uri] = line
        self.window_log_message(types.LogMessageParams(types.MessageType.Warning, line))

    def units(self, text: str) -> int:
        """The length of ``text`` in the position encoding agreed with the client."""
        return int(self.workspace.position_codec.client_num_units(text))


server = WrapsServer()


def _path(document: TextDocument) -> str:
    return document.path or to_fs_path(document.uri) or document.uri


def checked(ls: WrapsServer, uri: str) -> Checked:
    document = ls.workspace.get_text_document(uri)
    result = check(_path(document), document.source)
    if result.problem is not None:
        ls.log(uri, result.problem)
    else:
        ls.last_logged.pop(uri, None)
    return result


def diagnostic(ls: WrapsServer, lines: list[str], finding: Finding) -> types.Diagnostic:
    return types.Diagnostic(
        range=finding_range(ls, lines, finding),
        message=finding.message[len(finding.code) + 1 :],
        severity=types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code)),
        source=NAME,
    )


def _position(ls: WrapsServer, lines: list[str], line: int, byte_column: int) -> types.Position:
    """A position of ``ast`` (1-based line, column in UTF-8 bytes) for the client."""
    index = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[index] if lines else ""
    return types.Position(index, ls.units(character_prefix(text, byte_column)))


def finding_range(ls: WrapsServer, lines: list[str], finding: Finding) -> types.Range:
    """From the finding to its end, or to the end of its line when it has none."""
    start = _position(ls, lines, finding.line, finding.col)
    if finding.end is not None and finding.end > (finding.line, finding.col):
        end = _position(ls, lines, *finding.end)
    else:
        line = start.line
        end = types.Position(line, ls.units(lines[line]) if line < len(lines) else 0)
    return types.Range(start, end)


def cancel_pending(ls: WrapsServer, uri: str) -> None:
    """Drop the check a change has scheduled for the document, if any."""
    handle = ls.pending.pop(uri, None)
    if handle is not None:
        handle.cancel()


def publish(ls: WrapsServer, uri: str) -> None:
    """Check the document and publish its diagnostics; never raises."""
    cancel_pending(ls, uri)
    try:
        result = checked(ls, uri)
        lines = physical(result.text)
        found = [diagnostic(ls, lines, finding) for finding in result.findings]
    except Exception as error:  # the boundary: one line in the log, the server goes on
        ls.log(uri, internal_error(uri, error))
        found = []
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, found))


def publish_later(ls: WrapsServer, uri: str) -> None:
    cancel_pending(ls, uri)
    loop = asyncio.get_running_loop()
    ls.pending[uri] = loop.call_later(DEBOUNCE, publish, ls, uri)


def remember(ls: WrapsServer, uri: str, closed: bool = False) -> None:
    """Keep the open document's text where the project's summaries read it first: the
    rules that follow imports see what the editor holds, saved or not."""
    try:
        if closed:
            open_buffers.pop(os.path.abspath(to_fs_path(uri) or uri), None)
            return
        document = ls.workspace.get_text_document(uri)
        path = os.path.abspath(_path(document))
        open_buffers[path] = document.source.encode("utf-8", "surrogatepass")
    except Exception as error:  # the boundary: one line in the log, the server goes on
        ls.log(uri, internal_error(uri, error))


def publish_others(ls: WrapsServer, uri: str) -> None:
    """Check again the other open documents: what they import may have changed."""
    for other in list(ls.workspace.text_documents):
        if other != uri:
            publish(ls, other)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: WrapsServer, params: types.DidOpenTextDocumentParams) -> None:
    remember(ls, params.text_document.uri)
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: WrapsServer, params: types.DidChangeTextDocumentParams) -> None:
    remember(ls, params.text_document.uri)
    publish_later(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: WrapsServer, params: types.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)
    publish_others(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: WrapsServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    cancel_pending(ls, uri)
    ls.last_logged.pop(uri, None)
    ls.made.pop(uri, None)
    remember(ls, uri, closed=True)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
)
def code_action(ls: WrapsServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    try:
        return list(_code_actions(ls, params))
    except Exception as error:  # the boundary: one line in the log, the server goes on
        ls.log(uri, internal_error(uri, error))
        return []


def _wanted(only: Iterable[str] | None, kind: str) -> bool:
    """Whether the client asks for actions of ``kind`` (``only`` lists prefixes)."""
    if only is None:
        return True
    return any(kind == prefix or kind.startswith(f"{prefix}.") for prefix in only)


def _edit(ls: WrapsServer, uri: str, old: str, new: str) -> types.WorkspaceEdit:
    change = line_edit(old, new)
    lines = physical(old)
    if change.end_column is None:
        end = types.Position(change.end, 0)
    else:
        end = types.Position(change.end, ls.units(lines[change.end][: change.end_column]))
    edit = types.TextEdit(types.Range(types.Position(change.start, 0), end), change.text)
    return types.WorkspaceEdit(changes={uri: [edit]})


def _code_actions(ls: WrapsServer, params: types.CodeActionParams) -> Iterable[types.CodeAction]:
    uri = params.text_document.uri
    only: Sequence[Any] | None = params.context.only
    only_kinds = None if only is None else [str(getattr(k, "value", k)) for k in only]
    result = checked(ls, uri)
    if not result.findings:
        return
    version = ls.workspace.get_text_document(uri).version
    lines = physical(result.text)
    first, last = params.range.start.line + 1, params.range.end.line + 1
    if _wanted(only_kinds, types.CodeActionKind.QuickFix.value):
        for finding in result.findings:
            if not first <= finding.line <= last:
                continue
            shown = [diagnostic(ls, lines, finding)]
            key = (finding.line, finding.col, finding.code)
            if finding.fix is not None:
                new = ls.made_text(
                    uri, version, ("fix", *key), partial(fixed_text, result, finding)
                )
                if new is not None:
                    title = f"{finding.code}: {fix_title(finding)}"
                    yield types.CodeAction(
                        title=title if finding.fix.safe else f"{title} (unsafe)",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=shown,
                        edit=_edit(ls, uri, result.text, new),
                        is_preferred=finding.fix.safe,
                    )
            commented = ls.made_text(
                uri, version, ("noqa", *key), partial(commented_text, result, finding)
            )
            if commented is not None:
                yield types.CodeAction(
                    title=f"Ignore {finding.code} on this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=shown,
                    edit=_edit(ls, uri, result.text, commented),
                    is_preferred=False,
                )
    fixable = any(f.fix is not None and f.fix.safe for f in result.findings)
    if fixable and _wanted(only_kinds, FIX_ALL):
        new = ls.made_text(uri, version, ("all",), lambda: fixed_text(result))
        if new is not None:
            yield types.CodeAction(
                title="flake8-wraps: fix all safely fixable problems",
                kind=FIX_ALL,
                edit=_edit(ls, uri, result.text, new),
            )


def start() -> None:
    """Serve over stdin and stdout until the client says exit."""
    server.start_io()
