"""What ``msgfmt --check`` refuses in a catalog's structure, refused before
anything is written from it (update, build, prefill, fixes).

* a catalog without its header entry (``msgid ""``);
* a ``Plural-Forms`` header that does not parse, or whose expression is not
  a valid gettext expression or picks a form ``nplurals`` does not have;
* plural messages without a ``Plural-Forms`` header, and translated plural
  messages with another number of forms than ``nplurals``;
* ``msgctxt`` or ``msgid`` holding the EOT character (U+0004, the separator
  inside ``.mo`` files), and any string holding NUL.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import polib

from ..errors import CatalogError

_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*([0-9]+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)


@lru_cache(maxsize=256)
def plural_rule(value: str) -> tuple[int, str] | str:
    """``(nplurals, expression)`` of a Plural-Forms value, or why it is invalid."""
    match = _PLURAL_FORMS.match(value)
    if match is None:
        return "Plural-Forms must read 'nplurals=N; plural=EXPRESSION;'"
    count, expression = int(match.group(1)), match.group(2)
    if count < 1:
        return f"Plural-Forms: nplurals={count} (must be at least 1)"
    from gettext import c2py

    try:
        function = c2py(expression)
    except (ValueError, SyntaxError, RecursionError):
        return f"Plural-Forms: {expression!r} is not a valid plural expression"
    for number in range(0, 1000):
        try:
            form = function(number)
        except (ZeroDivisionError, ValueError, RecursionError):
            return f"Plural-Forms: the expression fails for n={number}"
        if not 0 <= form < count:
            return f"Plural-Forms: the expression gives form {form} for n={number}, but nplurals={count}"
    return count, expression


def _line_of(entry) -> int | None:
    return getattr(entry, "linenum", None) or getattr(entry, "line", None)


def _forms(entry) -> list[str]:
    forms = entry.msgstr_plural
    if isinstance(forms, dict):
        return [forms[index] for index in sorted(forms)]
    return list(forms or [])


def check_catalog(catalog: polib.POFile, path: Path, template: bool = False) -> None:
    """Raise :class:`CatalogError` (file and line) for the first thing msgfmt --check refuses."""
    from .catalog import header_of

    check_entries(header_of(catalog), list(catalog), path, template, getattr(catalog, "fpath", None))


def check_messages(messages: list, path: Path, template: bool = False) -> None:
    """:func:`check_catalog` for the entries as read (:class:`~locflow.po.syntax.Message`)."""
    header = next((message.msgstr for message in messages if message.is_header), None)
    check_entries(header, [message for message in messages if not message.is_header], path, template, str(path))


def check_entries(header: str | None, entries: list, path: Path, template: bool, source: str | None) -> None:
    if header is None:
        raise CatalogError(
            'no header entry (msgid "" with Content-Type); msgfmt rejects such a catalog: '
            "add the header (copy it from another language's catalog)",
            path,
            1,
        )
    from .catalog import parse_header

    plural_entries = [entry for entry in entries if entry.msgid_plural and not entry.obsolete]
    value = parse_header(header).get("Plural-Forms")
    rule = None
    if not template:
        if value is not None:
            rule = plural_rule(value)
            if isinstance(rule, str):
                raise CatalogError(f"{rule}; fix the header (see docs/plurals.md)", path, _header_line(source, "Plural-Forms"))
        elif plural_entries:
            raise CatalogError(
                "the catalog has plural messages but no Plural-Forms header; add one (see docs/plurals.md)",
                path,
                _line_of(plural_entries[0]),
            )
    for entry in entries:
        for name in ("msgctxt", "msgid"):
            text = getattr(entry, name)
            if text and "\x04" in text:
                raise CatalogError(f"{name} contains the EOT character (U+0004), which .mo files use as a separator", path, _line_of(entry))
        strings = [entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", entry.msgstr, *_forms(entry)]
        if any("\x00" in text for text in strings):
            raise CatalogError("a string contains a NUL character (\\0), which gettext cannot hold", path, _line_of(entry))
    if isinstance(rule, tuple):
        count = rule[0]
        for entry in plural_entries:
            forms = _forms(entry)
            if forms and forms[0] and "fuzzy" not in entry.flags and len(forms) != count:
                raise CatalogError(
                    f"this message has {len(forms)} plural forms, but the Plural-Forms header says nplurals={count}",
                    path,
                    _line_of(entry),
                )


def _header_line(path: str | None, field: str) -> int | None:
    """The line of a header field in the file (for error messages)."""
    if not path:
        return None
    try:
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.lstrip().startswith(f'"{field}:'.encode()):
                    return number
                if number > 200:
                    break
    except OSError:
        return None
    return None
