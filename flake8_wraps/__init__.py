"""flake8-wraps: finds decorators that lose ``functools.wraps`` and decorators above routes."""

from __future__ import annotations

__all__ = ["__version__"]

# the one place the version is written: the package metadata reads it from here
__version__ = "0.1.0"
