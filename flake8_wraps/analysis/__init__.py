"""The ``ast`` analysis core: one walk per module, shared by every rule.

``index`` records the module's definitions; ``names`` resolves names through imports;
``pairs`` finds decorators and their wrappers, ``classes`` classes used as decorators,
``wraps_names`` the spellings of ``functools.wraps``, ``metadata`` whether metadata is
copied, ``routes`` the registering decorators and ``uses`` where the module applies its
own decorators.  ``context`` hands these to the rules and ``core`` runs them.
"""
