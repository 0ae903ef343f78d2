"""The libcst fixer: applies edits the analysis core located, then verifies them."""
