"""The errors locflow reports to its users.

Every error a user can cause (a bad setting, a malformed catalog, an unknown
language, an unreachable service) is a :class:`LocflowError`: the CLI prints
it as one line, ``path:line: message``, and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path


class LocflowError(Exception):
    """A problem with the user's input or environment, reported as one line."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"

    def __reduce__(self):
        # Keep the file and line when an error crosses from a worker process.
        return (type(self), (self.message, self.path, self.line))


class ConfigError(LocflowError):
    """``[tool.locflow]`` in pyproject.toml is missing, unknown or invalid."""


class CatalogError(LocflowError):
    """A PO or POT file cannot be read or would not be valid."""


class SourceError(LocflowError):
    """A source article cannot be read or parsed."""


class LanguageError(LocflowError):
    """A language code that Babel does not know, or a service does not offer."""
