"""Format directives in strings flagged ``c-format``, ``python-format`` or
``python-brace-format``, found as GNU gettext's parsers find them.

Two uses: the writer never breaks a line inside a directive (``%(name)s``,
``% d``, ``{count}``), and the merge marks fuzzy a translation whose
directives no longer match a newly flagged message (as msgmerge does).
A directive that does not parse ends the search, as in gettext: the
directives before it are still known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# gettext's format languages, in gettext's order (the order of flags in "#,").
FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme", "lisp",
    "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde",
    "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp",
)
FORMAT_INDEX = {name: index for index, name in enumerate(FORMAT_LANGUAGES)}


@dataclass(frozen=True)
class Directive:
    start: int  # index of the first character (the % or {)
    end: int  # index of the last character
    key: str  # what must match between msgid and msgstr: "name:type", "#type"


class Spans:
    """The directives of a string, for line breaking: a line may not break
    within a directive (after its first character)."""

    __slots__ = ("_directives",)

    def __init__(self, directives: list[Directive]):
        self._directives = directives

    def ranges(self, start: int, stop: int) -> list[tuple[int, int]]:
        """(first, last) character indexes of the directives between ``start`` and ``stop``."""
        return [(item.start, item.end) for item in self._directives if start <= item.start and item.end < stop]


def directive_spans(format_name: str | None, text: str) -> Spans | None:
    directives = parse_directives(format_name, text)
    return Spans(directives) if directives else None


def parse_directives(format_name: str | None, text: str) -> list[Directive]:
    parser = _PARSERS.get(format_name or "")
    return parser(text) if parser is not None else []


# ---------------------------------------------------------------------------
# python-format: %(name)s, %5.2f, %%
# ---------------------------------------------------------------------------

_PYTHON_TYPES = {"c": "c", "s": "s", "r": "s", "i": "i", "d": "i", "u": "i", "o": "i", "x": "i", "X": "i",
                 "e": "f", "E": "f", "f": "f", "g": "f", "G": "f", "%": ""}


def _python(text: str) -> list[Directive]:
    found: list[Directive] = []
    named = unnamed = False
    index, length = 0, len(text)
    while index < length:
        if text[index] != "%":
            index += 1
            continue
        start = index
        index += 1
        name = None
        if index < length and text[index] == "(":
            depth, close = 0, None
            for position in range(index + 1, length):
                if text[position] == "(":
                    depth += 1
                elif text[position] == ")":
                    if depth == 0:
                        close = position
                        break
                    depth -= 1
            if close is None:
                return found
            name = text[index + 1 : close]
            index = close + 1
        while index < length and text[index] in "-+ #0":
            index += 1
        for part in ("width", "precision"):
            if part == "precision":
                if index >= length or text[index] != ".":
                    break
                index += 1
            if index < length and text[index] == "*":  # given as an argument: not with named ones
                if named:
                    return found
                unnamed = True
                index += 1
            else:
                while index < length and text[index].isdigit():
                    index += 1
        if index < length and text[index] in "hlL":
            index += 1
        if index >= length or text[index] not in _PYTHON_TYPES:
            return found
        conversion = text[index]
        if name is not None:
            if unnamed:
                return found
            named = True
            key = f"{name}:{_PYTHON_TYPES[conversion]}"
        elif conversion != "%":
            if named:
                return found
            unnamed = True
            key = f"#{_PYTHON_TYPES[conversion]}"
        else:
            key = ""
        found.append(Directive(start, index, key))
        index += 1
    return found


# ---------------------------------------------------------------------------
# python-brace-format: {name}, {0}, {count:>5}, {user.name}, {{ }}
# ---------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")


def _brace_field(text: str, index: int) -> int | None:
    """The index after a field name with its .attr / [item] chain, or None."""
    match = _IDENTIFIER.match(text, index)
    if match is None:
        return None
    index = match.end()
    while index < len(text):
        if text[index] == ".":
            match = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(text, index + 1)
            if match is None:
                return None
            index = match.end()
        elif text[index] == "[":
            match = _IDENTIFIER.match(text, index + 1)
            if match is None or match.end() >= len(text) or text[match.end()] != "]":
                return None
            index = match.end() + 1
        else:
            break
    return index


def _brace_directive(text: str, index: int, toplevel: bool) -> int | None:
    """Parse the directive at ``text[index] == "{"``; the index of its closing
    brace, or None if it does not parse."""
    name_end = _brace_field(text, index + 1)
    if name_end is None:
        return None
    position = name_end
    if position < len(text) and text[position] == ":":
        if not toplevel:
            return None
        position += 1
        if position < len(text) and text[position] == "{":
            nested = _brace_directive(text, position, False)
            if nested is None:
                return None
            position = nested + 1
        else:
            if position + 1 < len(text) and text[position + 1] in "<>=^":
                position += 2
            elif position < len(text) and text[position] in "<>=^":
                position += 1
            if position < len(text) and text[position] in "+- ":
                position += 1
            if position < len(text) and text[position] == "#":
                position += 1
            if position < len(text) and text[position] == "0":
                position += 1
            while position < len(text) and text[position].isdigit():
                position += 1
            if position < len(text) and text[position] == ".":
                position += 1
                while position < len(text) and text[position].isdigit():
                    position += 1
            if position < len(text) and text[position] in "bcdoxXneEfFgG%":
                position += 1
    if position >= len(text) or text[position] != "}":
        return None
    return position


def _python_brace(text: str) -> list[Directive]:
    found: list[Directive] = []
    index, length = 0, len(text)
    while index < length:
        if text[index] != "{":
            index += 1
            continue
        if index + 1 < length and text[index + 1] == "{":
            index += 2
            continue
        close = _brace_directive(text, index, True)
        if close is None:
            return found
        name_end = _brace_field(text, index + 1)
        found.append(Directive(index, close, text[index + 1 : name_end]))
        index = close + 1
    return found


# ---------------------------------------------------------------------------
# c-format: %d, %5.2f, %1$s, %lu, %%, %<PRId64>
# ---------------------------------------------------------------------------

_C_DIRECTIVE = re.compile(
    r"%(?:(?P<number>[1-9][0-9]*)\$)?(?P<flags>[-+ #0'I]*)"
    r"(?P<width>\*(?:[1-9][0-9]*\$)?|[0-9]+)?(?:\.(?P<precision>\*(?:[1-9][0-9]*\$)?|[0-9]+)?)?"
    r"(?P<size>hh|h|ll|l|L|q|j|z|Z|t|I32|I64|I)?"
    r"(?P<conversion>[diouxXeEfFgGaAcsCSpnm%]|<PRI[diouxX](?:8|16|32|64|LEAST8|LEAST16|LEAST32|LEAST64|FAST8|FAST16|FAST32|FAST64|MAX|PTR)>)"
)
_C_TYPES = {"d": "i", "i": "i", "o": "u", "u": "u", "x": "u", "X": "u", "e": "f", "E": "f", "f": "f", "F": "f",
            "g": "f", "G": "f", "a": "f", "A": "f", "c": "c", "C": "c", "s": "s", "S": "s", "p": "p", "n": "n",
            "m": "", "%": ""}


def _c(text: str) -> list[Directive]:
    found: list[Directive] = []
    index = text.find("%")
    while index >= 0:
        match = _C_DIRECTIVE.match(text, index)
        if match is None:
            return found
        conversion = match.group("conversion")
        kind = _C_TYPES.get(conversion, "i" if conversion.startswith("<PRI") else "")
        size = match.group("size") or ""
        key = f"{match.group('number') or ''}#{size}{kind}" if conversion not in ("%", "m") else ""
        found.append(Directive(index, match.end() - 1, key))
        index = text.find("%", match.end())
    return found


_PARSERS = {"c": _c, "objc": _c, "python": _python, "python-brace": _python_brace}


def directives_mismatch(format_name: str, msgid: str, msgstr: str) -> bool:
    """Whether a translation's directives disagree with the source's, as
    ``msgfmt --check`` would say for this format (only the formats locflow
    parses; for the others, no disagreement is known)."""
    if format_name not in _PARSERS:
        return False
    source = [item.key for item in parse_directives(format_name, msgid) if item.key]
    target = [item.key for item in parse_directives(format_name, msgstr) if item.key]
    if format_name == "python-brace" or any(":" in key for key in source + target):
        return set(source) != set(target)  # named arguments: the same names
    return source != target  # positional arguments: the same kinds, in order
