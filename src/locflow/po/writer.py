"""Writing catalogs as GNU gettext's msgcat writes them, byte for byte.

For each entry, in gettext's order: translator comments (``#``), extracted
comments (``#.``), references (``#:``, as many per line as fit the page),
flags (``#,``: ``fuzzy`` first, then format flags in gettext's order, then
``range:`` and ``no-wrap``), previous strings (``#|``), then ``msgctxt``,
``msgid``, ``msgid_plural`` and the translations, each wrapped as gettext
wraps (see :mod:`locflow.po.wrap`). Obsolete entries come last, prefixed
``#~`` (with ``#~|`` previous strings), and an obsolete entry without a
translation is dropped, as msgcat drops it.

Flags gettext does not know (``ignore-punctuation``, a Weblate flag) are
written after gettext's own: gettext would drop them, locflow keeps a
translator's data.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

from .catalog import header_of
from .formats import FORMAT_INDEX, FORMAT_LANGUAGES
from .wrap import DEFAULT_WIDTH, wrap_string


@dataclass(frozen=True)
class Layout:
    """How a catalog is laid out: like msgmerge's ``--width``/``--no-wrap`` and
    ``--add-location=full|file|never``."""

    width: int = DEFAULT_WIDTH
    wrap: bool = True
    locations: str = "full"  # "full" (file:line), "file", "never"


GNU = Layout()


def _format_flag(flag: str) -> tuple[int, str] | None:
    """(gettext's index of the language, the flag as gettext writes it) for a
    format flag gettext knows; None for any other flag."""
    if not flag.endswith("-format"):
        return None
    name, prefix = flag[:-7], ""
    for word in ("no-", "possible-", "impossible-"):
        if name.startswith(word) and name[len(word):] in FORMAT_INDEX:
            name, prefix = name[len(word):], word
            break
    index = FORMAT_INDEX.get(name)
    if index is None:
        return None
    if prefix == "impossible-":
        return index, ""
    return index, ("no-" if prefix == "no-" else "") + f"{name}-format"


def _range_flag(flag: str) -> str | None:
    if not flag.startswith("range:"):
        return None
    low, dots, high = flag[6:].strip().partition("..")
    if dots and low.isdigit() and high.isdigit() and int(low) <= int(high):
        return f"range: {int(low)}..{int(high)}"
    return None


def flags_line(flags: list[str], translated: bool, obsolete: bool = False) -> str | None:
    """The ``#,`` line gettext writes for these flags (None when there is none)."""
    if not flags:
        return None
    fuzzy = False
    formats: dict[int, str] = {}
    range_flag = None
    no_wrap = False
    others: list[str] = []
    for flag in flags:
        if flag == "fuzzy":
            fuzzy = True
            continue
        known = _format_flag(flag)
        if known is not None:
            formats[known[0]] = known[1]
            continue
        if flag in ("wrap", "no-wrap"):
            no_wrap = flag == "no-wrap"
            continue
        checked = _range_flag(flag)
        if checked is not None:
            range_flag = checked
            continue
        if flag not in others:
            others.append(flag)
    written = []
    if fuzzy and (translated or obsolete):
        written.append("fuzzy")
    written.extend(formats[index] for index in sorted(formats) if formats[index])
    if range_flag and not obsolete:
        written.append(range_flag)
    if no_wrap:
        written.append("no-wrap")
    written.extend(others)
    return "#, " + ", ".join(written) + "\n" if written else None


def format_language(flags: list[str]) -> str | None:
    """The format whose directives must not be split: the first (in gettext's
    order) the entry is flagged as (``c-format``, ``possible-python-format``)."""
    best = None
    for flag in flags:
        known = _format_flag(flag)
        if known is not None and known[1] and not known[1].startswith("no-"):
            if best is None or known[0] < best:
                best = known[0]
    return FORMAT_LANGUAGES[best] if best is not None else None


def _comment_lines(marker: str, text: str, blank: bool) -> str:
    if not text:
        return f"{marker}\n" if blank else ""
    return "".join(f"{marker} {line}\n" if line else f"{marker}\n" for line in text.split("\n"))


def reference_lines(occurrences, layout: Layout) -> str:
    """``#:`` lines: references separated by spaces, a new line when the next
    one would pass the page width (gettext counts bytes here)."""
    if layout.locations == "never" or not occurrences:
        return ""
    items: list[str] = []
    seen: set[str] = set()
    for path, line in occurrences:
        while path.startswith("./"):
            path = path[2:]
        item = path if layout.locations == "file" or not line else f"{path}:{line}"
        key = path if layout.locations == "file" else item
        if key in seen:
            continue
        seen.add(key)
        items.append(item)
    out = ["#:"]
    column = 2
    for item in items:
        size = len(item.encode("utf-8")) + 1
        if column > 2 and column + size > layout.width:
            out.append("\n#:")
            column = 2
        out.append(" ")
        out.append(item)
        column += size
    out.append("\n")
    return "".join(out)


def _strings(entry: polib.POEntry, prefix: str, width: int | None, fmt: str | None) -> list[str]:
    out = []
    if entry.msgctxt is not None:
        out.append(wrap_string(prefix, "msgctxt", entry.msgctxt, width, fmt))
    out.append(wrap_string(prefix, "msgid", entry.msgid, width, fmt))
    if entry.msgid_plural:
        out.append(wrap_string(prefix, "msgid_plural", entry.msgid_plural, width, fmt))
        forms = entry.msgstr_plural or {0: ""}
        for index in sorted(forms):
            out.append(wrap_string(prefix, f"msgstr[{index}]", forms[index], width, fmt))
    else:
        out.append(wrap_string(prefix, "msgstr", entry.msgstr, width, fmt))
    return out


def _previous(entry: polib.POEntry, prefix: str, width: int | None, fmt: str | None) -> list[str]:
    out = []
    if entry.previous_msgctxt is not None:
        out.append(wrap_string(prefix, "msgctxt", entry.previous_msgctxt, width, fmt))
    if entry.previous_msgid is not None:
        out.append(wrap_string(prefix, "msgid", entry.previous_msgid, width, fmt))
    if entry.previous_msgid_plural is not None:
        out.append(wrap_string(prefix, "msgid_plural", entry.previous_msgid_plural, width, fmt))
    return out


def _first_translation(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return (entry.msgstr_plural or {}).get(0, "")
    return entry.msgstr


def entry_text(entry: polib.POEntry, layout: Layout = GNU) -> str:
    """One entry as gettext writes it (an obsolete one with ``#~``)."""
    flags = entry.flags
    width = layout.width if layout.wrap and "no-wrap" not in flags else None
    fmt = format_language(flags) if flags else None
    translated = bool(_first_translation(entry))
    parts = [
        _comment_lines("#", entry.tcomment, getattr(entry, "blank_tcomment", False)),
        _comment_lines("#.", entry.comment, getattr(entry, "blank_comment", False)),
        reference_lines(entry.occurrences, layout),
    ]
    line = flags_line(flags, translated, entry.obsolete)
    if line:
        parts.append(line)
    if entry.obsolete:
        parts.extend(_previous(entry, "#~| ", width, fmt))
        parts.extend(_strings(entry, "#~ ", width, fmt))
    else:
        parts.extend(_previous(entry, "#| ", width, fmt))
        parts.extend(_strings(entry, "", width, fmt))
    return "".join(parts)


def header_text(catalog: polib.POFile, layout: Layout = GNU) -> str | None:
    msgstr = header_of(catalog)
    if msgstr is None:
        return None
    comments = catalog.header_comment_lines() if hasattr(catalog, "header_comment_lines") else (
        catalog.header.split("\n") if catalog.header else []
    )
    parts = ["".join(f"# {line}\n" if line else "#\n" for line in comments)]
    flags = (["fuzzy"] if catalog.metadata_is_fuzzy else []) + list(getattr(catalog, "header_extra_flags", []))
    line = flags_line(flags, bool(msgstr))
    if line:
        parts.append(line)
    width = layout.width if layout.wrap else None
    parts.append('msgid ""\n')
    parts.append(wrap_string("", "msgstr", msgstr, width, None))
    return "".join(parts)


def catalog_text(catalog: polib.POFile, layout: Layout = GNU) -> str:
    """The whole file as msgcat writes it: the header, the entries, then the
    obsolete entries that have a translation."""
    blocks = []
    header = header_text(catalog, layout)
    if header is not None:
        blocks.append(header)
    obsolete = []
    for entry in catalog:
        if entry.obsolete:
            obsolete.append(entry)
        elif entry.msgid == "" and entry.msgctxt is None:
            continue  # a second header: msgid "" is the header's key
        else:
            blocks.append(entry_text(entry, layout))
    for entry in obsolete:
        if _first_translation(entry):
            blocks.append(entry_text(entry, layout))
    return "\n".join(blocks)
