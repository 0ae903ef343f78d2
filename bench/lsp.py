"""How fast the language server answers: from a document's text to its published
diagnostics, and a code action request, on a 2,000-line module and on a small one.

Usage (from the repository's root, with the lsp extra installed)::

    python bench/lsp.py [--runs 20]

Starts ``flake8-wraps server`` over stdio, as an editor does, and speaks the protocol
to it directly.  Each timing opens the document under a new name (the server checks
an opened document at once, without the debounce it waits after a change) and stops
the clock when the diagnostics of that document arrive; then it asks for the code
actions of the first finding, twice (the second time, as when the cursor comes back to
the line, the server has made the fixes of that version already).  Prints the median
and the slowest run of each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COMMAND = str(Path(sys.executable).parent / "flake8-wraps")
SMALL = HERE.parent / "examples" / "app.py"

# one unit of the large module: a decorator without wraps, a view under it, and
# ordinary code around them (about 25 lines)
UNIT = '''

def audited_{n}(view):
    def wrapper(*args, **kwargs):
        record("{n}", args)
        return view(*args, **kwargs)
    return wrapper


@audited_{n}
def handler_{n}(request, item_id):
    """Return the item {n}."""
    rows = [row for row in fetch(item_id) if row.visible]
    total = sum(row.size for row in rows)
    if total > LIMIT:
        raise ValueError(f"item {{item_id}} too large: {{total}}")
    return {{"id": item_id, "rows": rows, "total": total}}


class Store_{n}:
    def load(self, key):
        return self.backend.get(key, default=None)
'''


def large_module(lines: int = 2000) -> str:
    head = "import functools\n\nLIMIT = 100\n"
    units: list[str] = []
    n = 0
    while (head + "".join(units)).count("\n") < lines:
        units.append(UNIT.format(n=n))
        n += 1
    return head + "".join(units)


class Client:
    """A minimal LSP client over the server's stdin and stdout."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [COMMAND, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root
        )
        self.next_id = 0

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        stream = self.process.stdout
        assert stream is not None
        length = 0
        while True:
            line = stream.readline()
            if not line:
                raise SystemExit("the server stopped")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        result: dict[str, Any] = json.loads(stream.read(length))
        return result

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def diagnostics_of(self, uri: str) -> list[dict[str, Any]]:
        while True:
            message = self.receive()
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and message["params"]["uri"] == uri
            ):
                diagnostics: list[dict[str, Any]] = message["params"]["diagnostics"]
                return diagnostics

    def close(self) -> None:
        self.request("shutdown", {})
        self.notify("exit", {})
        self.process.wait(timeout=10)


def measure(client: Client, folder: Path, text: str, label: str, runs: int) -> list[str]:
    opened: list[float] = []
    actions: list[float] = []
    again: list[float] = []
    findings = 0
    for run in range(runs):
        path = folder / f"{label}_{run}.py"
        uri = path.as_uri()
        started = time.perf_counter()
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        )
        diagnostics = client.diagnostics_of(uri)
        opened.append(time.perf_counter() - started)
        findings = len(diagnostics)
        first = diagnostics[0]
        asked = {
            "textDocument": {"uri": uri},
            "range": first["range"],
            "context": {"diagnostics": [first]},
        }
        started = time.perf_counter()
        client.request("textDocument/codeAction", asked)
        actions.append(time.perf_counter() - started)
        started = time.perf_counter()
        client.request("textDocument/codeAction", asked)  # the cursor back on the line
        again.append(time.perf_counter() - started)
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    lines = text.count("\n")
    return [
        f"| {label} ({lines} lines, {findings} findings) | text to diagnostics | "
        f"{statistics.median(opened) * 1000:.1f} ms | {max(opened) * 1000:.1f} ms |",
        f"| {label} ({lines} lines, {findings} findings) | code actions, first request | "
        f"{statistics.median(actions) * 1000:.1f} ms | {max(actions) * 1000:.1f} ms |",
        f"| {label} ({lines} lines, {findings} findings) | code actions, same version again | "
        f"{statistics.median(again) * 1000:.1f} ms | {max(again) * 1000:.1f} ms |",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        client = Client(folder)
        client.request(
            "initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}}
        )
        client.notify("initialized", {})
        rows = measure(client, folder, large_module(), "large", args.runs)
        rows += measure(client, folder, SMALL.read_text(encoding="utf-8"), "small", args.runs)
        client.close()
    print("| module | what | median | slowest |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
