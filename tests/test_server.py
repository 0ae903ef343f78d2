"""The language server, driven by a real client over stdio (pytest-lsp): diagnostics
on open, change and save; the quick fixes, the noqa comment and fix-all as edits the
client applies; a server that survives what stops a check.

The server is the real command, ``flake8-wraps server``, in a subprocess.  Waits are
for notifications, with generous time-outs; nothing asserts on timing.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("pytest_lsp", reason="pytest-lsp needs Python 3.10")

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import write

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio]
WAIT = 120  # seconds: a busy machine is slow; a server that died never answers
RULES = "https://github.com/flake8-wraps/flake8-wraps/blob/main/docs/rules/"

MISSING_WRAPS = """\
def logged(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


@logged
def job():
    pass
"""

# WRP006, whose fix (return the result) is unsafe
DROPS_RESULT = """\
import functools


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        func(*args, **kwargs)
    return wrapper


@logged
def answer():
    return 42
"""

# a rule that raises for a module holding this name: a bug of the tool
BUGGY_SERVER = """\
import sys
import flake8_wraps.source as source

real = source.analyze

def analyze(tree, options, scope=None):
    if any(getattr(node, "id", None) == "TRIGGER_A_BUG" for node in source.ast.walk(tree)):
        raise ZeroDivisionError("a rule failed")
    return real(tree, options, scope)

source.analyze = analyze
from flake8_wraps.command.cli import main
sys.exit(main(["server"]))
"""


async def _initialized(client: LanguageClient) -> AsyncIterator[None]:
    await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await client.shutdown_session()


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "flake8_wraps", "server"])
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    async for _ in _initialized(lsp_client):
        yield


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-c", BUGGY_SERVER]))
async def buggy_client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    async for _ in _initialized(lsp_client):
        yield


class Document:
    """An open document, as the client keeps it."""

    def __init__(self, client: LanguageClient, path: Path) -> None:
        self.client = client
        self.uri = path.as_uri()
        self.text = path.read_text(encoding="utf-8")
        self.version = 1

    async def open(self) -> list[types.Diagnostic]:
        item = types.TextDocumentItem(self.uri, "python", self.version, self.text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(item))
        return await self.diagnostics()

    async def diagnostics(self) -> list[types.Diagnostic]:
        while True:
            params = await asyncio.wait_for(
                self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), WAIT
            )
            if params.uri == self.uri:
                return list(params.diagnostics)

    async def change(self, text: str) -> list[types.Diagnostic]:
        self.text = text
        self.version += 1
        identifier = types.VersionedTextDocumentIdentifier(self.version, self.uri)
        change = types.TextDocumentContentChangeWholeDocument(text)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(identifier, [change])
        )
        return await self.diagnostics()

    async def actions(self, line: int = 0, only: list[str] | None = None) -> list[types.CodeAction]:
        where = types.Range(types.Position(line, 0), types.Position(line, 0))
        context = types.CodeActionContext(diagnostics=[], only=only)  # type: ignore[arg-type]
        params = types.CodeActionParams(types.TextDocumentIdentifier(self.uri), where, context)
        found = await asyncio.wait_for(self.client.text_document_code_action_async(params), WAIT)
        return [action for action in found or [] if isinstance(action, types.CodeAction)]

    async def apply(self, action: types.CodeAction) -> list[types.Diagnostic]:
        """Make the action's edit as an editor does, and send the new text."""
        assert action.edit is not None and action.edit.changes is not None
        return await self.change(applied(self.text, action.edit.changes[self.uri]))


def _offset(lines: list[str], position: types.Position) -> int:
    """The offset in the text of a position counted in UTF-16 code units."""
    before = sum(len(line) for line in lines[: position.line])
    if position.line >= len(lines):
        return before
    units, index = 0, 0
    line = lines[position.line]
    while index < len(line) and units < position.character:
        units += 2 if ord(line[index]) > 0xFFFF else 1
        index += 1
    return before + index


def applied(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    spans = [(_offset(lines, e.range.start), _offset(lines, e.range.end), e) for e in edits]
    for start, end, edit in sorted(spans, key=lambda span: span[0], reverse=True):
        text = text[:start] + edit.new_text + text[end:]
    return text


def titled(actions: list[types.CodeAction], part: str) -> types.CodeAction:
    chosen = [action for action in actions if part in action.title]
    assert len(chosen) == 1, [action.title for action in actions]
    return chosen[0]


async def test_a_finding_is_a_diagnostic_and_its_fix_clears_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    document = Document(client, write(tmp_path, "app/decorators.py", MISSING_WRAPS))
    [diagnostic] = await document.open()
    assert diagnostic.code == "WRP001"
    assert diagnostic.source == "flake8-wraps"
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == f"{RULES}WRP001.md"
    assert diagnostic.message == (
        "decorator 'logged' returns 'wrapper' without functools.wraps(func): "
        "the decorated function loses __name__, __doc__ and __wrapped__"
    )
    # from 'def' to the end of the name, on line 2
    assert diagnostic.range == types.Range(types.Position(1, 4), types.Position(1, 15))

    actions = await document.actions(line=1)
    fix = titled(actions, "Add @functools.wraps(func) to 'wrapper'")
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    assert "(unsafe)" not in fix.title
    assert await document.apply(fix) == []
    assert "@functools.wraps(func)" in document.text
    assert document.text.startswith("import functools\n")


async def test_columns_are_counted_as_the_client_counts_them(
    client: LanguageClient, tmp_path: Path
) -> None:
    # 'é' is two bytes in UTF-8 (as ast counts columns) and one unit in UTF-16 (as the
    # client counts them); an emoji is four bytes and two units
    source = DROPS_RESULT.replace("        func(", '        é = "\U0001f600"; func(')
    document = Document(client, write(tmp_path, "names.py", source))
    [diagnostic] = await document.open()
    start = len('        é = "\U0001f600"; ') + 1  # the UTF-16 units before the call
    assert diagnostic.range.start == types.Position(6, start)
    assert diagnostic.range.end == types.Position(6, start + len("func(*args, **kwargs)"))
    ignore = titled(await document.actions(line=6), "Ignore WRP006")
    assert await document.apply(ignore) == []
    assert '        é = "\U0001f600"; func(*args, **kwargs)  # noqa: WRP006\n' in document.text


async def test_an_unsafe_fix_says_so_and_is_not_preferred(
    client: LanguageClient, tmp_path: Path
) -> None:
    document = Document(client, write(tmp_path, "timing.py", DROPS_RESULT))
    [diagnostic] = await document.open()
    assert diagnostic.code == "WRP006"
    fix = titled(await document.actions(line=diagnostic.range.start.line), "(unsafe)")
    assert fix.title.startswith("WRP006: ")
    assert fix.is_preferred is False
    assert await document.apply(fix) == []
    assert "        return func(*args, **kwargs)\n" in document.text


async def test_ignore_on_this_line_adds_a_noqa_comment(
    client: LanguageClient, tmp_path: Path
) -> None:
    document = Document(client, write(tmp_path, "decorators.py", MISSING_WRAPS))
    await document.open()
    ignore = titled(await document.actions(line=1), "Ignore WRP001 on this line")
    assert ignore.is_preferred is False
    assert await document.apply(ignore) == []
    assert "    def wrapper(*args, **kwargs):  # noqa: WRP001\n" in document.text


async def test_fix_all_makes_every_safe_fix_and_no_unsafe_one(
    client: LanguageClient, tmp_path: Path
) -> None:
    source = (
        MISSING_WRAPS
        + "\n\n"
        + MISSING_WRAPS.replace("logged", "timed")
        + "\n\n"
        + DROPS_RESULT.replace("import functools\n", "").replace("logged", "counted")
    )
    document = Document(client, write(tmp_path, "many.py", source))
    found = await document.open()
    assert sorted(d.code for d in found) == ["WRP001", "WRP001", "WRP006"]  # type: ignore[type-var]
    # asked by the general kind, as an editor does on save
    [fix_all] = await document.actions(only=[types.CodeActionKind.SourceFixAll.value])
    assert fix_all.kind == "source.fixAll.flake8-wraps"
    left = await document.apply(fix_all)
    assert [d.code for d in left] == ["WRP006"]  # the unsafe fix is not made
    assert document.text.count("@functools.wraps(func)") == 3


async def test_a_change_is_checked_and_a_save_checks_again(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = write(tmp_path, "later.py", "def logged(func):\n    return func\n")
    document = Document(client, path)
    assert await document.open() == []
    [diagnostic] = await document.change(MISSING_WRAPS)
    assert diagnostic.code == "WRP001"
    # the configuration changed on disk: a save reads it again
    write(tmp_path, "setup.cfg", "[flake8]\nextend-ignore = WRP001\n")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(document.uri))
    )
    assert await document.diagnostics() == []


async def test_the_project_configuration_applies(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, "setup.cfg", "[flake8]\nper-file-ignores =\n    legacy/*.py: WRP001\n")
    legacy = Document(client, write(tmp_path, "legacy/old.py", MISSING_WRAPS))
    assert await legacy.open() == []
    current = Document(client, write(tmp_path, "new/mod.py", MISSING_WRAPS))
    assert [d.code for d in await current.open()] == ["WRP001"]
    exempt = Document(client, write(tmp_path, "new/exempt.py", "# flake8: noqa\n" + MISSING_WRAPS))
    assert await exempt.open() == []


async def test_what_stops_a_check_is_logged_and_the_server_goes_on(
    client: LanguageClient, tmp_path: Path
) -> None:
    broken = Document(client, write(tmp_path, "broken.py", "def f(:\n" + MISSING_WRAPS))
    assert await broken.open() == []
    write(tmp_path, "big/setup.cfg", "[flake8]\nmax-file-size = 1K\n")
    huge = MISSING_WRAPS + "".join(f"X{n} = {n}\n" for n in range(200))
    large = Document(client, write(tmp_path, "big/huge.py", huge))
    assert await large.open() == []
    assert await broken.change("def f():\n    pass\n") == []
    logged = [message.message for message in client.log_messages]
    assert any("broken.py: error: cannot parse: line 1" in line for line in logged), logged
    assert any("huge.py: error: larger than max-file-size (1K)" in line for line in logged)
    good = Document(client, write(tmp_path, "good.py", MISSING_WRAPS))
    assert [d.code for d in await good.open()] == ["WRP001"]


async def test_a_bug_in_a_rule_is_logged_and_the_server_goes_on(
    buggy_client: LanguageClient, tmp_path: Path
) -> None:
    bad = Document(buggy_client, write(tmp_path, "bad.py", MISSING_WRAPS + "TRIGGER_A_BUG\n"))
    assert await bad.open() == []
    assert await bad.actions(line=1) == []
    logged = [message.message for message in buggy_client.log_messages]
    assert any(
        "bad.py: error: internal error: ZeroDivisionError: a rule failed" in line for line in logged
    ), logged
    good = Document(buggy_client, write(tmp_path, "good.py", MISSING_WRAPS))
    [diagnostic] = await good.open()
    assert diagnostic.code == "WRP001"
    assert titled(await good.actions(line=1), "Add @functools.wraps")


async def test_the_actions_follow_the_document_as_it_changes(
    client: LanguageClient, tmp_path: Path
) -> None:
    # asked twice for one version, the actions are the same; after a change they are
    # made for the new text (the fixes are kept per version of the document)
    document = Document(client, write(tmp_path, "again.py", MISSING_WRAPS))
    await document.open()
    first = await document.actions(line=1)
    assert [a.title for a in await document.actions(line=1)] == [a.title for a in first]
    renamed = MISSING_WRAPS.replace("func", "view")
    [diagnostic] = await document.change(renamed)
    assert "functools.wraps(view)" in diagnostic.message
    fix = titled(await document.actions(line=1), "Add @functools.wraps(view) to 'wrapper'")
    assert await document.apply(fix) == []
    assert "@functools.wraps(view)" in document.text


GOOD_DECORATOR = """\
import functools


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper
"""

USES_IT = """\
from decorators import logged


@logged
def total(items):
    return sum(items)
"""


async def test_other_modules_are_read_from_the_editor_before_the_disk(
    client: LanguageClient, tmp_path: Path
) -> None:
    # the decorator module is changed in the editor and not saved: the module that
    # imports it is checked against the editor's text, and against the disk's again
    # once the decorator module is closed
    decorators = Document(client, write(tmp_path, "decorators.py", GOOD_DECORATOR))
    views = Document(client, write(tmp_path, "views.py", USES_IT))
    assert await views.open() == []
    await decorators.open()
    await decorators.change(GOOD_DECORATOR.replace("return func(", "func("))
    [dropped] = await views.change(USES_IT + "\n")
    assert dropped.code == "WRP006"
    assert dropped.range.start.line == 3  # at '@logged', where the view uses it
    decorators.client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(decorators.uri))
    )
    assert await views.change(USES_IT) == []


async def test_a_use_written_in_another_module_is_seen_on_the_next_check(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, "pyproject.toml", "")
    unapplied = MISSING_WRAPS.split("\n\n\n@logged")[0] + "\n"
    document = Document(client, write(tmp_path, "decorators.py", unapplied))
    assert await document.open() == []  # nothing in the project applies ``logged``
    write(tmp_path, "views.py", "from decorators import logged\n\n\n@logged\ndef v():\n    pass\n")
    assert [d.code for d in await document.change(unapplied + "\n")] == ["WRP001"]
