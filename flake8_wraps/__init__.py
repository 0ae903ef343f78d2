"""flake8-wraps: finds decorators that lose ``functools.wraps`` and decorators above routes."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # read from the package metadata on first use: importlib.metadata is slow to
    # import, and most runs of the command never need the version
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("flake8-wraps")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            found = "0+unknown"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
