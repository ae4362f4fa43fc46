"""The model every article format parses into and renders from.

A :class:`Document` is the article as an ordered list of :class:`Block`\\ s.
Each block keeps its source text exactly as written (``raw``), so rendering a
document with no translations gives back the source byte for byte. A
translatable block also carries the message translators see (``msgid``) and
the whitespace around it (``before``/``after``), so a translation is put back
in the same place.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .languages import localize_date


def line_of(offset: int, starts: Sequence[int]) -> int:
    """The line (from 1) of a character ``offset``, given where each line starts (sorted)."""
    return bisect_right(starts, offset)


@dataclass(frozen=True)
class Placeholder:
    """A named value inside a message (``{date}``), filled in at build time."""

    name: str
    value: str
    kind: str = "text"  # "date": written in the target language's date format

    def localized(self, language: str) -> str:
        if self.kind == "date":
            return localize_date(self.value, language) or self.value
        return self.value


@dataclass(frozen=True)
class Block:
    """One piece of an article: translatable text or skeleton kept verbatim."""

    kind: str
    raw: str
    line: int
    msgid: str | None = None
    before: str = ""
    after: str = ""
    comment: str = ""
    context: str | None = None
    flags: tuple[str, ...] = ()
    placeholders: tuple[Placeholder, ...] = ()

    @property
    def translatable(self) -> bool:
        return self.msgid is not None

    def fill(self, translation: str, language: str) -> str | None:
        """The translation with its placeholders filled; None if it cannot be filled."""
        if not self.placeholders:
            return translation
        values = {p.name: p.localized(language) for p in self.placeholders}
        try:
            return translation.format_map(values)
        except (KeyError, ValueError, IndexError, AttributeError):
            return None  # a broken translation never breaks the build: the source is kept


Lookup = Callable[[Block], "str | None"]


@dataclass
class Document:
    """A parsed article: its slug, where it came from, and its blocks in order."""

    slug: str
    path: Path
    format: str
    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    def translatable_blocks(self) -> Iterator[Block]:
        return (block for block in self.blocks if block.translatable)

    def message_keys(self) -> list[tuple[str | None, str]]:
        """The distinct (msgctxt, msgid) pairs of the article, in order of first use."""
        return list(dict.fromkeys((block.context, block.msgid) for block in self.translatable_blocks()))

    @property
    def title(self) -> str | None:
        for block in self.blocks:
            if block.kind == "title":
                return block.msgid
        return None

    def render(self, lookup: Lookup, language: str, escape: Callable[[str], str] = lambda s: s) -> str:
        """The article with each translatable block replaced by ``lookup(block)`` where it has one.

        ``escape`` turns a translation into the format's text (HTML escaping);
        blocks with no translation keep their source text exactly.
        """
        parts: list[str] = []
        for block in self.blocks:
            translation = lookup(block) if block.translatable else None
            filled = block.fill(translation, language) if translation else None
            if filled is None:
                parts.append(block.raw)
            else:
                parts.append(block.before + escape(filled) + block.after)
        return "".join(parts)

    def render_source(self) -> str:
        """The article exactly as it was read."""
        return "".join(block.raw for block in self.blocks)
