"""``flake8-wraps server``: the language server, for editors (the ``lsp`` extra).

``flake8-wraps server`` (``server`` as the first argument) and
``python -m flake8_wraps.server`` start it; it talks over stdin and stdout.  To check
a file or folder named ``server``, name it as a path: ``flake8-wraps ./server``.

The protocol library is imported only here, when the server starts: the command and
the flake8 plugin never load it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

EXIT_ERROR = 2
INSTALL = "pip install 'flake8-wraps[lsp]'"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="flake8-wraps server",
        description="Start the language server: it talks the Language Server Protocol "
        "over stdin and stdout, for an editor to start. To check a path named 'server', "
        "write it as ./server.",
    )
    parser.parse_args(argv)
    try:
        from flake8_wraps.server.lsp import start
    except ImportError as error:
        print(
            f"flake8-wraps: error: the language server needs the lsp extra ({INSTALL}): {error}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    if os.path.exists("server") and sys.stdin.isatty():
        print(
            "flake8-wraps: starting the language server (it waits for an editor on stdin); "
            "to check the path 'server', write ./server",
            file=sys.stderr,
        )
    start()
    return 0
