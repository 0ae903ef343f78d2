"""``python -m flake8_wraps.server``: the same as ``flake8-wraps server``."""

import sys

from flake8_wraps.server import main

if __name__ == "__main__":
    sys.exit(main())
