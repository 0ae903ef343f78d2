"""The ``ast`` analysis core: one walk per module, shared by every rule."""
