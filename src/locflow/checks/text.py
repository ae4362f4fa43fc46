"""What the checks see in a string: its prose, and what it contains that is code.

A message mixes language with things that are not language: HTML tags and
character references, Markdown link targets and inline code, URLs, e-mail
addresses and format placeholders (``{date}``, ``%s``). :func:`analyze` splits
a string once into

* ``plain``: the text a reader sees, where a tag takes no room (``<br>`` is a
  line break), a character reference is its character (``&nbsp;`` is U+00A0),
  and every protected piece (URL, code, placeholder, link target) is one
  OBJECT REPLACEMENT CHARACTER (U+FFFC), so it is neither a word nor punctuation;
* a map from ``plain`` back to the original string, so a fix computed on the
  prose can be applied to the message without ever touching a protected piece.

Results are cached per string: the same source string is analysed once per
worker for every language that translates it.

:func:`char` names a character unambiguously for messages
(``։ (U+0589 ARMENIAN FULL STOP)``), as translators read them in a terminal
where ``:`` and ``։`` look alike.
"""

from __future__ import annotations

import html
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .patterns import IGNORECASE, DOTALL, lazy

OBJ = "\ufffc"  # one protected piece (URL, code, placeholder) in the plain text

# Python brace fields: {date}, {0}, {}, {n:>3}, {user.name!r}; not {{ or }}.
BRACE = r"(?<!\{)\{(?:[A-Za-z_]\w*(?:\.\w+|\[\w+\])*|\d+)?(?:![rsa])?(?::[^{}]*)?\}(?!\})"
# printf directives of python-format and c-format: %s, %(name)s, %1$d, %.2f (not %%).
PERCENT = (
    r"%(?:\d+\$|\([^)\s]*\))?[-#0 +']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcrsaAp]"
)
TAG = r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?\s*/?>"
COMMENT = r"<!--.*?-->"
ENTITY = r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);"
MD_TARGET = r"(?<=\])\([^()\s]+(?:\s+\"[^\"]*\")?\)"
CODE = r"`[^`\n]+`"
URL = r"\b(?:https?|ftp|mailto):[^\s<>()\"'«»“”„‘’‹›]*[^\s<>()\"'«»“”„‘’‹›.,;:!?]"
EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"

_FORMATS = ("python-format", "c-format", "php-format", "sh-format")


def format_key(flags) -> tuple[bool, bool]:
    """Which placeholder syntaxes a message's flags turn on: (brace, percent)."""
    return _format_key(tuple(flags)) if flags else (True, False)


@lru_cache(maxsize=256)
def _format_key(flags: tuple[str, ...]) -> tuple[bool, bool]:
    return "no-python-brace-format" not in flags, any(flag in flags for flag in _FORMATS)


@lru_cache(maxsize=4)
def _token_pattern(brace: bool, percent: bool) -> regex.Pattern:
    import regex
    parts = [
        rf"(?P<comment>{COMMENT})",
        rf"(?P<tag>{TAG})",
        rf"(?P<entity>{ENTITY})",
        rf"(?P<obj>{MD_TARGET}|{CODE}|{URL}|{EMAIL}" + (rf"|{BRACE}" if brace else "") + (rf"|{PERCENT}" if percent else "") + ")",
    ]
    return regex.compile("|".join(parts), regex.DOTALL)


# What every protected piece contains; a string without any of these has none.
_TRIGGERS = lazy(r"[<&`{%@]|\]\(|(?:https?|ftp|mailto):")


@dataclass(frozen=True)
class Edit:
    """Replace ``plain[start:end]`` with ``text`` (an insertion when start == end)."""

    start: int
    end: int
    text: str


class Analysis:
    """A string as the checks see it (built by :func:`analyze`; read-only)."""

    __slots__ = ("text", "plain", "_origin", "_literal", "_letters", "_runs", "_numbers")

    def __init__(self, text: str, plain: str, origin: list[int] | None, literal: list[bool] | None):
        self.text = text
        self.plain = plain
        self._origin = origin  # None: plain is text
        self._literal = literal
        self._letters = self._runs = self._numbers = None

    # -- mapping fixes back -------------------------------------------------

    def apply(self, edits: list[Edit]) -> str | None:
        """The original string with ``edits`` (positions in ``plain``) made, or None when an
        edit would change a protected piece (a tag, a placeholder, a URL ...)."""
        if not edits:
            return self.text
        if self._origin is None:
            out, last = [], 0
            for edit in sorted(edits, key=lambda e: (e.start, e.end)):
                if edit.start < last:
                    return None
                out.append(self.text[last:edit.start])
                out.append(edit.text)
                last = edit.end
            out.append(self.text[last:])
            return "".join(out)
        origin, literal = self._origin, self._literal
        out, last = [], 0
        for edit in sorted(edits, key=lambda e: (e.start, e.end)):
            if any(not literal[i] for i in range(edit.start, edit.end)):
                return None
            start = origin[edit.start]
            end = origin[edit.end - 1] + 1 if edit.end > edit.start else start
            if start < last:
                return None
            out.append(self.text[last:start])
            out.append(edit.text)
            last = end
        out.append(self.text[last:])
        return "".join(out)

    # -- what checks ask, computed once (plain attributes: functools.cached_property
    # takes a lock on every first access in Python 3.11, which costs more than these) --

    @property
    def letters(self) -> int:
        """How many letters the prose has."""
        value = self._letters
        if value is None:
            plain = self.plain
            value = self._letters = sum(map(str.isalpha, plain)) if plain.isascii() else sum(map(len, _LETTERS.findall(plain)))
        return value

    @property
    def digit_runs(self) -> tuple[str, ...]:
        """The numbers of the prose as sorted runs of ASCII digits (١٩٩٠ is 1990), leading zeros dropped."""
        value = self._runs
        if value is None:
            runs = _DIGITS.findall(self.plain)
            value = self._runs = tuple(sorted(
                (run if run.isascii() else "".join(str(unicodedata.decimal(ch)) for ch in run)).lstrip("0") or "0"
                for run in runs
            )) if runs else ()
        return value

    @property
    def numbers(self) -> Counter:
        """:attr:`digit_runs` counted (do not modify)."""
        value = self._numbers
        if value is None:
            value = self._numbers = Counter(self.digit_runs) if self.digit_runs else _NO_NUMBERS
        return value


_DIGITS = lazy(r"\d+")
_LETTERS = lazy(r"\p{L}+")
_NO_NUMBERS: Counter = Counter()


@lru_cache(maxsize=16384)
def analyze(text: str, brace: bool = True, percent: bool = False) -> Analysis:
    """The :class:`Analysis` of ``text`` (brace / percent: which placeholders are code)."""
    import regex
    if not _TRIGGERS.search(text):
        return Analysis(text, text, None, None)
    pattern = _token_pattern(brace, percent)
    plain: list[str] = []
    origin: list[int] = []
    literal: list[bool] = []
    last = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if start > last:
            plain.append(text[last:start])
            origin.extend(range(last, start))
            literal.extend([True] * (start - last))
        kind = match.lastgroup
        if kind == "tag":
            if regex.match(r"</?br\b", match.group(), regex.IGNORECASE):
                plain.append("\n")
                origin.append(start)
                literal.append(False)
        elif kind == "entity":
            value = html.unescape(match.group())
            plain.append(value)
            origin.extend([start] * len(value))
            literal.extend([False] * len(value))
        elif kind == "obj":
            plain.append(OBJ)
            origin.append(start)
            literal.append(False)
        last = end
    if last == 0:
        return Analysis(text, text, None, None)
    plain.append(text[last:])
    origin.extend(range(last, len(text)))
    literal.extend([True] * (len(text) - last))
    origin.append(len(text))
    return Analysis(text, "".join(plain), origin, literal)


# ---------------------------------------------------------------------------
# Naming characters in messages
# ---------------------------------------------------------------------------


def char(ch: str) -> str:
    """``։ (U+0589 ARMENIAN FULL STOP)``; an invisible character by code and name only."""
    if len(ch) != 1:
        return " ".join(char(c) for c in ch) if ch else "nothing"
    name = unicodedata.name(ch, "")
    if not name:
        name = {"\n": "LINE FEED", "\t": "CHARACTER TABULATION", "\r": "CARRIAGE RETURN"}.get(ch, "control character")
    code = f"U+{ord(ch):04X} {name}"
    if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return code
    return f"{ch} ({code})"


def chars(marks) -> str:
    """``։ (U+0589 ARMENIAN FULL STOP) or . (U+002E FULL STOP)``."""
    named = [mark_name(mark) for mark in marks]
    return " or ".join(named)


def mark_name(mark: str) -> str:
    """A punctuation mark of one or more characters (``...`` is three full stops)."""
    if len(mark) == 1:
        return char(mark)
    if len(set(mark)) == 1:
        return f"{mark} ({len(mark)} × U+{ord(mark[0]):04X} {unicodedata.name(mark[0], '')})"
    return " followed by ".join(char(c) for c in mark)
