"""User-facing errors.

Every problem a user can fix (a bad scenario file, a missing dataset, a date that is not a
trading day) raises :class:`JevonsError`. The CLI prints it as one line starting with
``error:`` and exits with status 2; tracebacks are reserved for bugs (or ``--debug``).
"""

from __future__ import annotations

EXIT_USER_ERROR = 2


class JevonsError(Exception):
    """An error the user can fix; its message is one line."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class ScenarioError(JevonsError):
    """A scenario file or override is invalid.

    The message names the file, the key and what is allowed.
    """

    def __init__(self, source: str, key: str | None, problem: str):
        where = f"{source}: {key}" if key else str(source)
        super().__init__(f"{where}: {problem}")
        self.source = source
        self.key = key
        self.problem = problem


class DataError(JevonsError):
    """A dataset is missing, corrupt or does not cover what was asked."""
