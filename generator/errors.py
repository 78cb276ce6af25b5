"""The small exception hierarchy: every error the tool raises on purpose (never a bug).

A data mistake is never an exception that reaches a person as a traceback: it is a Problem
(problems.py), collected into a Report; DataError carries problems out of a command.
"""

from __future__ import annotations


class DashboardError(Exception):
    """Base of every error the tool raises on purpose; `exit_code` is what the command returns."""

    exit_code = 1


class DataError(DashboardError):
    """The data has problems; ``problems`` lists them (problems.Problem)."""

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the data")


class ImportFailed(DataError):
    """An import found problems in the files it was given; nothing was written."""


class ConfigError(DashboardError):
    """Bad usage or settings: exit code 2."""

    exit_code = 2


class BuildError(DashboardError):
    """The site could not be written; the previous output is left as it was."""
