"""The rules: one module per rule or small family, each declaring its :class:`Rule`
objects and their check functions (registered in :mod:`flake8_wraps.registry`);
:mod:`~flake8_wraps.rules.fixes` holds the fix builders several rules share."""
