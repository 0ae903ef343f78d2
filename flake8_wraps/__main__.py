"""``python -m flake8_wraps``: the same command as ``flake8-wraps``."""

import sys

from flake8_wraps.command.cli import main

if __name__ == "__main__":
    sys.exit(main())
