"""The options the analysis reads, built from flake8's options or the command's flags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_ALLOWED_ABOVE_ROUTE: tuple[str, ...] = ("csrf.exempt",)

# (flag, attribute on flake8's options, default, help)
OPTIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "--wraps-equivalents",
        "wraps_equivalents",
        (),
        "Comma-separated extra names that copy a wrapped function's metadata like "
        "functools.wraps (for example: mylib.copy_metadata).",
    ),
    (
        "--wraps-route-objects",
        "wraps_route_objects",
        (),
        "Comma-separated object names whose .get/.post/.task/... decorators register "
        "the function (for example: api,tasks.app).",
    ),
    (
        "--wraps-allowed-above-route",
        "wraps_allowed_above_route",
        DEFAULT_ALLOWED_ABOVE_ROUTE,
        "Comma-separated decorators that may sit above a route "
        f"(default: {','.join(DEFAULT_ALLOWED_ABOVE_ROUTE)}).",
    ),
)


@dataclass(frozen=True)
class Options:
    """What the user can configure.

    ``wraps_equivalents``: extra names (dotted, as written or as imported) that copy a
    wrapped function's metadata the way ``functools.wraps`` does.
    ``route_objects``: extra object names whose ``.get``/``.post``/``.task``/... calls
    register the decorated function.
    ``allowed_above_route``: decorators that may sit above a registering decorator.
    """

    wraps_equivalents: tuple[str, ...] = ()
    route_objects: tuple[str, ...] = ()
    allowed_above_route: tuple[str, ...] = DEFAULT_ALLOWED_ABOVE_ROUTE
    disabled: frozenset[str] = frozenset()  # rule codes not to run (select/ignore)


def split_names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Turn ``"a, b,c"`` or ``["a", "b,c"]`` into ``("a", "b", "c")``, dropping blanks."""
    if value is None:
        return ()
    parts = [value] if isinstance(value, str) else list(value)
    names: list[str] = []
    for part in parts:
        names.extend(piece.strip() for piece in part.split(","))
    return tuple(name for name in names if name)


def validate_names(option: str, names: Iterable[str]) -> str | None:
    """Return a one-line error when a value is not a dotted Python name, else None."""
    for name in names:
        if not all(piece.isidentifier() for piece in name.split(".")):
            return f"option {option}: {name!r} is not a dotted Python name"
    return None


def selected(
    code: str,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    extend_select: Iterable[str] = (),
    extend_ignore: Iterable[str] = (),
) -> bool:
    """Whether ``code`` is reported, decided as flake8 decides it.

    A code chosen by name (``select``/``extend-select``, ``ignore``/``extend-ignore``)
    is chosen explicitly; without a ``select`` every code is selected implicitly, and
    an explicit ignore beats an implicit select (``ignore = W`` silences ``WRP``).  When
    a code is in both lists the same way, the longest matching prefix decides.
    """
    extend_select, extend_ignore = tuple(extend_select), tuple(extend_ignore)
    chosen = (*tuple(select or ()), *extend_select) if select is not None else extend_select
    dropped = (*tuple(ignore or ()), *extend_ignore) if ignore is not None else extend_ignore
    implicit_select = chosen if select is not None else ("", *extend_select)

    def longest(prefixes: Iterable[str]) -> int:
        return max((len(p) for p in prefixes if code.startswith(p)), default=-1)

    picked_by_name = longest(chosen) >= 0 and (select is not None or longest(extend_select) >= 0)
    dropped_by_name = longest(dropped) >= 0
    picked = longest(implicit_select) >= 0
    if dropped_by_name and picked_by_name:
        return longest(chosen) > longest(dropped)
    if dropped_by_name:
        return False
    return picked
