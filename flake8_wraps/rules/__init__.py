"""One module per rule; each exposes ``RULE`` and ``check(context)``."""
