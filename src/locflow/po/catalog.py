"""The in-memory catalog: polib's objects, filled by locflow's reader.

The rest of locflow works with :class:`polib.POFile` and :class:`polib.POEntry`
(entries have ``msgid``, ``msgstr``, ``flags``, ``tcomment``, ``occurrences``,
``previous_msgid``...). The reader fills them with what gettext keeps,
including what polib's own parser loses (``#~|`` previous msgids of obsolete
entries, header fields laid out as the translator's tool wrote them), and
the writer writes them back as gettext does.
"""

from __future__ import annotations

import re

import polib

from .syntax import Message


class Catalog(polib.POFile):
    """A PO or POT file. ``metadata`` is the header as a dict; the header's
    text as read is kept, and written back unchanged while the fields are."""

    def __init__(self) -> None:
        super().__init__(wrapwidth=79)
        self.header_msgstr: str | None = None  # the header's msgstr as read
        self.header_comments: list[str] | None = None  # as read (one item per "#" line)
        self.header_extra_flags: list[str] = []

    def header_text(self) -> str | None:
        """The header entry's msgstr to write: as read while the fields are the
        same, else the fields in order as ``Name: value\\n`` lines."""
        if self.header_msgstr is not None and parse_header(self.header_msgstr) == self.metadata:
            return self.header_msgstr
        if not self.metadata and self.header_msgstr is None:
            return None
        return "".join(f"{name}: {value}\n" for name, value in self.metadata.items())

    def header_comment_lines(self) -> list[str]:
        if self.header_comments is not None and "\n".join(self.header_comments) == (self.header or ""):
            return self.header_comments
        return self.header.split("\n") if self.header else []


def header_of(catalog: polib.POFile) -> str | None:
    """The header entry's msgstr of any polib catalog (None when it has no header)."""
    if isinstance(catalog, Catalog):
        return catalog.header_text()
    if not catalog.metadata:
        return None
    return "".join(f"{name}: {value}\n" for name, value in catalog.metadata.items())


def parse_header(text: str) -> dict[str, str]:
    """The header's fields, in order (``Name: value`` lines; later lines of the
    same name win, as in gettext's lookups)."""
    fields: dict[str, str] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields[name.strip()] = value.strip()
    return fields


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def nplurals(catalog: polib.POFile) -> int | None:
    """The number of plural forms the catalog's Plural-Forms header gives, or None."""
    match = _NPLURALS.search(catalog.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def new_entry(message: Message) -> polib.POEntry:
    """A polib entry holding everything the reader found (built without
    polib's constructor, which costs more than the reading)."""
    entry = polib.POEntry.__new__(polib.POEntry)
    entry.msgid = message.msgid
    entry.msgctxt = message.msgctxt
    entry.msgid_plural = message.msgid_plural or ""
    entry.msgstr = message.msgstr
    entry.msgstr_plural = dict(enumerate(message.msgstr_plural)) if message.msgstr_plural is not None else {}
    entry.obsolete = message.obsolete
    entry.encoding = "utf-8"
    entry.comment = "\n".join(message.extracted)
    entry.tcomment = "\n".join(message.comments)
    entry.occurrences = message.references
    entry.flags = message.flags
    entry.previous_msgctxt = message.previous.get("msgctxt")
    entry.previous_msgid = message.previous.get("msgid")
    entry.previous_msgid_plural = message.previous.get("msgid_plural")
    entry.linenum = message.start or message.line  # where the entry begins, as polib counts
    # A lone "#" (or "#.") line is an empty comment: kept, as gettext keeps it.
    entry.blank_tcomment = message.comments == [""]
    entry.blank_comment = message.extracted == [""]
    return entry


def to_catalog(messages: list[Message], path: str | None = None) -> Catalog:
    catalog = Catalog()
    catalog.fpath = path
    catalog.metadata = {}
    header_done = False
    for message in messages:
        if message.is_header and not header_done:
            header_done = True
            catalog.header = "\n".join(message.comments)
            catalog.header_comments = list(message.comments)
            catalog.header_msgstr = message.msgstr
            catalog.metadata = parse_header(message.msgstr)
            catalog.metadata_is_fuzzy = message.fuzzy
            catalog.header_extra_flags = [flag for flag in message.flags if flag != "fuzzy"]
            continue
        catalog.append(new_entry(message))
    return catalog
