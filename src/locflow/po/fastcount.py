"""Counting a well-formed catalog in one pass of C code.

``msgfmt --statistics`` over a large tree is mostly reading: this module
checks a whole file against gettext's grammar with one regular expression
(entries of comments, ``msgctxt``, ``msgid``, ``msgid_plural`` and
``msgstr``/``msgstr[N]`` lines of quoted strings with C escapes), then counts
its entries with another. Anything the expressions do not vouch for (a
syntax error, an octal or hex escape, two definitions of one message) returns
None, and the caller reads the file with the full parser
(:mod:`locflow.po.syntax`), which reports the error with its line or counts
what is unusual but valid. Both give msgfmt's numbers.
"""

from __future__ import annotations

import re


_STRING = r'"[^"\\\n]*(?:\\[ntbrfva\\"][^"\\\n]*)*"[ \t\r]*\n'
_CONTINUED = rf"(?:[ \t]*{_STRING})*"
_COMMENTS = r"(?:[ \t]*#[^\n]*\n|[ \t\r\f\v]*\n)*"
_ENTRY = (
    rf"(?P<comments>{_COMMENTS})"
    rf"(?:[ \t]*msgctxt[ \t]+(?P<ctxt>{_STRING}{_CONTINUED}))?"
    rf"[ \t]*msgid[ \t]+(?P<id>{_STRING}{_CONTINUED})"
    rf"(?:[ \t]*msgid_plural[ \t]+{_STRING}{_CONTINUED})?"
    rf"(?:[ \t]*msgstr[ \t]+(?P<str>{_STRING}{_CONTINUED})"
    rf"|[ \t]*msgstr\[0\][ \t]+(?P<str0>{_STRING}{_CONTINUED})(?:[ \t]*msgstr\[[1-9][0-9]*\][ \t]+{_STRING}{_CONTINUED})*)"
)
_ENTRIES = re.compile(_ENTRY)
_TAIL = re.compile(rf"{_COMMENTS}\Z")
_JOINS = re.compile(r'"[ \t\r]*\n[ \t]*"')
_EMPTY = re.compile(r'(?:""[ \t\r]*\n[ \t]*)+')
_BODY = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')
_FLAGS = re.compile(r"^[ \t]*#[,!]([^\n]*)$", re.M)
_OBSOLETE = re.compile(r"^[ \t]*#~", re.M)
_SEPARATORS = re.compile(r"[\s,]+")


_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_ESCAPED = re.compile(r"\\(.)")


def _body(strings: str) -> str:
    """The value of a field's quoted strings (the fast path allows only the simple C escapes)."""
    text = "".join(_BODY.findall(strings))
    return _ESCAPED.sub(lambda match: _SIMPLE[match.group(1)], text) if "\\" in text else text


def _joined(strings: str) -> str:
    """A field's strings as one (only a field written on several lines needs joining)."""
    strings = strings.rstrip()
    return _JOINS.sub("", strings) if "\n" in strings else strings


def _fuzzy(comments: str) -> bool:
    if "fuzzy" not in comments:
        return False
    # Flags above an obsolete entry belong to it, not to the entry after it.
    last = None
    for last in _OBSOLETE.finditer(comments):
        pass
    tail = comments[last.end():] if last is not None else comments
    return any("fuzzy" in _SEPARATORS.split(flags) for flags in _FLAGS.findall(tail))


def count(text: str) -> tuple[int, int, int, str | None] | None:
    """``(translated, fuzzy, untranslated, header msgstr)`` of a catalog's text,
    or None when the full parser must decide (see the module's docstring)."""
    if not text.endswith("\n"):
        text += "\n"
    translated = fuzzy = untranslated = 0
    header = None
    seen: set[tuple[str | None, str]] = set()
    position, end = 0, len(text)
    match = _ENTRIES.match
    while True:
        entry = match(text, position)
        if entry is None:
            # Only comments and blank lines may follow the last entry; anything else is for the parser.
            return (translated, fuzzy, untranslated, header) if _TAIL.match(text, position) else None
        position = entry.end()
        context, msgid, first = entry.group("ctxt", "id", "str")
        if first is None:
            first = entry.group("str0")
        # The key as written, its strings joined: a message defined twice is the parser's to report.
        key = (context and _joined(context), _joined(msgid))
        if key in seen:
            return None
        seen.add(key)
        if context is None and _EMPTY.fullmatch(msgid):
            header = _body(first)
            continue
        if _EMPTY.fullmatch(first):
            untranslated += 1
        elif _fuzzy(entry.group("comments")):
            fuzzy += 1
        else:
            translated += 1
        if position >= end:
            return translated, fuzzy, untranslated, header
