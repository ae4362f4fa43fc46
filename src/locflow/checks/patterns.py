"""The checks' regular expressions, compiled when first used.

The checks match with the ``regex`` module (Unicode properties such as
``\\p{L}``, script names, set operations). Importing it and compiling some
sixty patterns costs a command about 50 ms before any work, which a rerun
that reads every finding from the cache never needs: a pattern is written
at module level as ``lazy(r"...")`` and compiled, with ``regex`` imported,
on its first use. After that its methods are the compiled pattern's own.
"""

from __future__ import annotations

import re
from typing import Any

IGNORECASE = re.IGNORECASE  # the regex module's flags have re's values
DOTALL = re.DOTALL


class LazyPattern:
    """A ``regex`` pattern compiled on first use (``v1``: the module's version 1
    syntax, with set operations such as ``[\\p{Arabic}&&\\p{L}]``)."""

    _METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")

    def __init__(self, pattern: str, flags: int = 0, *, v1: bool = False):
        self._source = (pattern, flags, v1)

    def compiled(self):
        """The compiled pattern (compiled now if it was not yet)."""
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            import regex

            pattern, flags, v1 = self._source
            compiled = self._compiled = regex.compile(pattern, flags | (regex.V1 if v1 else 0))
            for name in self._METHODS:
                setattr(self, name, getattr(compiled, name))  # later calls skip __getattr__
        return compiled

    def __getattr__(self, name: str) -> Any:  # only for what is not set yet
        if name.startswith("__") or name in ("_source", "_compiled"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __reduce__(self):  # pickled as its source (a worker compiles its own)
        pattern, flags, v1 = self._source
        return _lazy_v1 if v1 else LazyPattern, (pattern, flags)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


def lazy(pattern: str, flags: int = 0, *, v1: bool = False) -> LazyPattern:
    return LazyPattern(pattern, flags, v1=v1)


def _lazy_v1(pattern: str, flags: int) -> LazyPattern:
    return LazyPattern(pattern, flags, v1=True)
