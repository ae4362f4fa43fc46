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


_OS_ERRORS = {
    "ENOSPC": "no space left on the device",
    "EDQUOT": "disk quota exceeded",
    "EACCES": "permission denied",
    "EPERM": "operation not permitted",
    "EROFS": "read-only file system",
    "EISDIR": "is a folder, not a file",
    "ENOTDIR": "a part of the path is not a folder",
    "ENOENT": "no such file or folder",
    "EEXIST": "already exists",
    "EIO": "input/output error",
    "ENAMETOOLONG": "file name too long",
}


def from_os_error(exc: OSError, path: str | Path | None = None) -> LocflowError:
    """A :class:`LocflowError` for an operating-system error (disk full, permission
    denied, ...): one line naming the path, with nothing modified by the step
    that met it (its staged files are discarded)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    reason = _OS_ERRORS.get(name) or (exc.strerror or str(exc)).rstrip(".").lower()
    where = path if path is not None else (exc.filename if exc.filename not in (None, "") else None)
    suffix = "; nothing was changed" if name in ("ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM") else ""
    error = MachineError(f"{reason}{suffix}", where)
    return error


class MachineError(LocflowError):
    """The machine refused a read or write (disk full, permission denied,
    read-only file system): it stops a whole step, where bad input in one file
    stops only that file's work."""

    machine = True
