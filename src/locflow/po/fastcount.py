"""Counting a well-formed catalog in one pass of C code.

``msgfmt --statistics`` over a large tree is mostly reading: this module
matches a whole file, entry after entry, against gettext's grammar with one
regular expression (entries of comments, ``msgctxt``, ``msgid``,
``msgid_plural`` and ``msgstr``/``msgstr[N]`` lines of quoted strings with C
escapes), driven by the pattern's scanner so that the loop over entries runs
in C; the expression itself says which entries are the header and which have
an empty translation. Anything it does not vouch for (a syntax error, an
octal or hex escape, two definitions of one message) returns None, and the
caller reads the file with the full parser (:mod:`locflow.po.syntax`), which
reports the error with its line or counts what is unusual but valid. Both
give msgfmt's numbers.
"""

from __future__ import annotations

import re
from operator import methodcaller

_STRING = r'"[^"\\\n]*(?:\\[ntbrfva\\"][^"\\\n]*)*"[ \t\r]*\n'
_CONTINUED = rf"(?:[ \t]*{_STRING})*"
# Only empty strings, and no string after them: the value is "".
_EMPTY = r'""[ \t\r]*\n(?:[ \t]*""[ \t\r]*\n)*(?![ \t]*")'
# Comments, blank lines, and obsolete (#~) and previous (#|, #~|) lines written as
# keyword and string lines: msgfmt reads those, so anything else there is the parser's.
_KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[[0-9]+\])?)[ \t]+"
_COMMENTS = (
    rf"(?:[ \t]*#(?![~|])[^\n]*\n|[ \t\r\f\v]*\n"
    rf"|[ \t]*#~[ \t\r]*\n|[ \t]*#(?:~\|?|\|)[ \t]*(?:{_KEYWORD})?{_STRING})*"
)
# msgstr[1], msgstr[2]... in order after msgstr[0] (msgfmt refuses a gap), up to nine
# forms; a catalog with more is the parser's.
_MORE_FORMS = ""
for _index in range(9, 0, -1):
    _MORE_FORMS = rf"(?:[ \t]*msgstr\[{_index}\][ \t]+{_STRING}{_CONTINUED}{_MORE_FORMS})?"
_ENTRY = (
    rf"(?P<comments>{_COMMENTS})"
    rf"(?:[ \t]*msgctxt[ \t]+(?P<ctxt>{_STRING}{_CONTINUED}))?"
    rf"[ \t]*msgid[ \t]+(?P<id>(?P<emptyid>{_EMPTY})|{_STRING}{_CONTINUED})"
    rf"(?:[ \t]*msgid_plural[ \t]+(?P<plural>{_STRING}{_CONTINUED}))?"
    # msgstr after a msgid, msgstr[0], msgstr[1]... after a msgid_plural.
    rf"[ \t]*msgstr(?(plural)\[0\])[ \t]+(?P<first>(?P<emptystr>{_EMPTY})|{_STRING}{_CONTINUED})"
    rf"(?(plural){_MORE_FORMS})"
)
_ENTRIES = re.compile(_ENTRY)
_TAIL = re.compile(rf"{_COMMENTS}\Z")
_FIELDS = methodcaller("group", "ctxt", "id", "emptyid", "emptystr", "comments")
# A field's strings joined into one, the line's end dropped, and the raw
# control characters a string may hold written as their escapes: one message
# gets one key however its lines are split.
_JOIN = re.compile(r'"[ \t\r]*\n[ \t]*"')
_LINE_END = re.compile(r'"[ \t\r]*\n')
_RAW_CONTROL = re.compile(r"[\t\r\f\v\a\b]")
_RAW_CONTROLS = str.maketrans({"\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v", "\a": "\\a", "\b": "\\b"})
_BODY = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')
_FLAGS = re.compile(r"^[ \t]*#[,!]([^\n]*)$", re.M)
_OBSOLETE = re.compile(r"^[ \t]*#~", re.M)
_SEPARATORS = re.compile(r"[ \t\n\r\f\v,]+")  # gettext's: commas and ASCII white space
_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_ESCAPED = re.compile(r"\\(.)")


def _body(strings: str) -> str:
    """The value of a field's quoted strings (the fast path allows only the simple C escapes)."""
    text = "".join(_BODY.findall(strings))
    return _ESCAPED.sub(lambda match: _SIMPLE[match.group(1)], text) if "\\" in text else text


def _fuzzy(comments: str) -> bool:
    if "fuzzy" not in comments:
        return False
    # Flags above an obsolete entry belong to it, not to the entry after it.
    last = None
    for last in _OBSOLETE.finditer(comments):
        pass
    tail = comments[last.end():] if last is not None else comments
    # Each flags line sets every flag anew (gettext): the last one decides.
    lines = _FLAGS.findall(tail)
    return bool(lines) and "fuzzy" in _SEPARATORS.split(lines[-1])


def count(text: str) -> tuple[int, int, int, str | None] | None:
    """``(translated, fuzzy, untranslated, header msgstr)`` of a catalog's text,
    or None when the full parser must decide (see the module's docstring)."""
    if not text.endswith("\n"):
        text += "\n"
    entries = list(iter(_ENTRIES.scanner(text).match, None))
    # Only comments and blank lines may follow the last entry; anything else is for the parser.
    if not _TAIL.match(text, entries[-1].end() if entries else 0):
        return None
    fields = list(map(_FIELDS, entries))
    # A message defined twice is the parser's to report. "\x02" stands for no context, "\x01" ends it.
    keys = _JOIN.sub("", "\x00".join([f"{ctxt or chr(2)}\x01{msgid}" for ctxt, msgid, *_ in fields]))
    keys = _LINE_END.sub('"', keys)
    if _RAW_CONTROL.search(keys):
        keys = keys.translate(_RAW_CONTROLS)
    keys = keys.split("\x00")
    if len(set(keys)) != len(keys):
        return None
    header = None
    translated = fuzzy = untranslated = 0
    for index, (ctxt, _, empty_id, empty_str, comments) in enumerate(fields):
        if ctxt is None and empty_id is not None and empty_str is None:
            if header is None:
                header = _body(entries[index].group("first"))
        elif empty_str is not None:  # (a header with an empty msgstr too: msgfmt counts it)
            untranslated += 1
        elif "fuzzy" in comments and _fuzzy(comments):
            fuzzy += 1
        else:
            translated += 1
    return translated, fuzzy, untranslated, header
