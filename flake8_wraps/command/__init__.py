"""The ``flake8-wraps`` command: its flags and configuration files, file discovery,
the runner (one error boundary per file), the results cache, output formats and
``--explain``."""
