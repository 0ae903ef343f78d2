"""Fix builders shared by several rules."""

from __future__ import annotations

import ast

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.pairs import WrapperPair
from flake8_wraps.analysis.wraps_names import spelling_is_free
from flake8_wraps.model import AddDecorator, Edit, Fix


def add_wraps_fix(
    context: Context,
    pair: WrapperPair,
    safe: bool,
    more: tuple[Edit, ...] = (),
    replaced: tuple[tuple[int, int], ...] = (),
) -> Fix | None:
    """A fix that puts ``@wraps(f)`` on the wrapper (and makes the ``more`` edits).

    None when a name the fix needs means something else there: ``@wraps(f)`` is
    evaluated in the decorator's scope, so the decorator must not rebind ``f`` before
    the wrapper, nor bind the name the fix would use for wraps.
    """
    spelling = context.wraps_spelling
    if pair.wrapped in pair.outer.stores or not spelling_is_free(pair.outer, spelling, "wraps"):
        return None
    edit = AddDecorator(pair.wrapper.scope, f"{{wraps}}({pair.wrapped})")
    return Fix(
        safe,
        (*more, edit),
        replaced=replaced,
        inserted_above=(pair.wrapper.node.lineno,),
        spellings=(("wraps", spelling),),
        taken=context.taken_names(pair.outer),
    )


def statement_index(body: list[ast.stmt], statement: ast.stmt) -> int | None:
    """The index of ``statement`` directly in ``body`` when it has its line to itself."""
    for number, candidate in enumerate(body):
        if candidate is statement:
            shares = any(
                other is not statement and other.lineno == statement.lineno for other in body
            )
            return None if shares else number
    return None
