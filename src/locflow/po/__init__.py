"""locflow's PO layer: read, validate, count, merge and write gettext catalogs.

* :func:`read` / :func:`parse` read a PO or POT file as GNU gettext reads it
  (:mod:`.syntax`), into polib objects (:mod:`.catalog`);
* :func:`validate` refuses what ``msgfmt --check`` refuses (header, plural
  forms) before anything is written from a catalog;
* :func:`statistics` counts as ``msgfmt --statistics``;
* :func:`dumps` writes as ``msgcat`` writes (:mod:`.writer`, :mod:`.wrap`);
* :func:`merge` merges a template into a catalog as ``msgmerge --previous``
  does (:mod:`.merge`).

The functions taking and returning bytes (:func:`format_catalog`,
:func:`merge_catalogs`, :func:`count`) are what ``bench/parity.py`` compares
with GNU gettext on real catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError
from .syntax import Message, declared_charset, decode
from .syntax import parse as parse_messages

if TYPE_CHECKING:
    import polib

    from .catalog import Catalog
    from .writer import Layout

# Loaded when first used (module ``__getattr__``), so that counting a tree or
# starting a command does not import polib and the writer.
_LAZY = {
    "Catalog": "catalog", "nplurals": "catalog", "parse_header": "catalog", "to_catalog": "catalog",
    "GNU": "writer", "Layout": "writer", "catalog_text": "writer",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

__all__ = [
    "Catalog", "Layout", "GNU", "Stats", "read", "parse", "parse_messages", "dumps", "statistics", "count",
    "count_messages", "format_catalog", "merge_catalogs", "nplurals", "parse_header", "validate", "Message",
]


@dataclass(frozen=True)
class Stats:
    """Message counts as GNU msgfmt reports them."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share of messages translated, in percent (100 for an empty catalog)."""
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total

    def __add__(self, other: "Stats") -> "Stats":
        return Stats(self.translated + other.translated, self.fuzzy + other.fuzzy, self.untranslated + other.untranslated)


def read_bytes(path: Path) -> bytes:
    """A file's bytes; a file that cannot be read is a :class:`CatalogError` naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("file not found", path) from None
    except IsADirectoryError:
        raise CatalogError("is a folder, not a file", path) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path) from None


def messages_of(data: bytes, path: Path) -> list[Message]:
    """The entries of a PO file's bytes (syntax checked, charset decoded)."""
    charset = declared_charset(data)
    return parse_messages(decode(data, path), path, charset if charset != "utf-8" else "utf-8")


def parse(data: bytes, path: Path) -> Catalog:
    """A catalog from a PO or POT file's bytes; errors name the file and line."""
    from .catalog import to_catalog

    return to_catalog(messages_of(data, path), str(path))


def read(path: Path) -> Catalog:
    """Read a PO or POT file (see :func:`parse`)."""
    return parse(read_bytes(path), path)


def dumps(catalog: polib.POFile, layout: Layout | None = None) -> bytes:
    """The catalog's bytes as msgcat writes them (UTF-8; ``layout``: GNU's by default)."""
    from .writer import GNU, catalog_text

    text = catalog_text(catalog, GNU if layout is None else layout)
    return text.encode("utf-8")


def count_messages(messages: list[Message]) -> Stats:
    """msgfmt's counts: obsolete entries and the header are not messages (a
    header with an empty msgstr is, untranslated, as msgfmt counts it); a
    message whose first msgstr is empty is untranslated (fuzzy or not), a
    fuzzy one with text is fuzzy, the rest are translated."""
    return _tally(
        (message.first_msgstr, message.flags)
        for message in messages
        if not (message.obsolete or (message.is_header and message.first_msgstr))
    )


def statistics(catalog: polib.POFile) -> Stats:
    """:func:`count_messages` for a catalog already read."""
    return _tally(
        (entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr, entry.flags)
        for entry in catalog
        if not (entry.obsolete or (entry.msgid == "" and entry.msgctxt is None
                                   and (entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr)))
    )


def _tally(messages) -> Stats:
    """msgfmt's counts of (first msgstr, flags) pairs."""
    translated = fuzzy = untranslated = 0
    for first, flags in messages:
        if not first:
            untranslated += 1
        elif "fuzzy" in flags:
            fuzzy += 1
        else:
            translated += 1
    return Stats(translated, fuzzy, untranslated)


def count(data: bytes, path: Path = Path("<bytes>")) -> tuple[int, int, int]:
    """(translated, fuzzy, untranslated) of a PO file's bytes, as msgfmt --statistics."""
    stats = count_messages(messages_of(data, path))
    return stats.translated, stats.fuzzy, stats.untranslated


def format_catalog(data: bytes) -> bytes:
    """A PO file's bytes written back as locflow (and msgcat) write them."""
    return dumps(parse(data, Path("<bytes>")))


def merge_catalogs(old: bytes, template: bytes) -> bytes:
    """``msgmerge --previous old template`` (see :mod:`.merge`)."""
    from .merge import merge

    return dumps(merge(parse(template, Path("<template>")), parse(old, Path("<catalog>"))))


def validate(catalog: polib.POFile, path: Path) -> None:
    """Refuse what ``msgfmt --check`` refuses in a catalog's structure (see :mod:`.check`)."""
    from .check import check_catalog

    check_catalog(catalog, path)
