"""Punctuation compared through each language's own marks, never literally.

An English full stop is ``։`` in Armenian, an English question mark ``؟`` in
Arabic and ``;`` in Greek; Armenian puts ``՞`` and ``՜`` on the stressed word,
so an Armenian question has no mark at its end to compare; Russian quotes are
``«»``; French puts a narrow no-break space before ``; : ! ?``. Each language's
marks are one :class:`Marks` entry in :data:`TABLES` (looked up by code, then
by base language, else :data:`DEFAULT`): adding a language's rules is adding a
line there.

Four checks use the table:

* ``punctuation`` (error): a mark of another writing system where the language
  has its own (a Latin ``:`` in Armenian text reads as the full stop ``։``; a
  Latin ``?`` ``,`` ``;`` in Arabic);
* ``end-punctuation`` (warning): the translation ends with the language's
  counterpart of the source's end mark (and Spanish opens ``¿`` ``¡``);
* ``quotes`` (warning): the language's quotation marks, not English ones;
* ``french-spacing`` (warning): the no-break space French typography puts
  before ``; : ! ?`` and inside ``« »``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .patterns import lazy

from ..languages import Language
from . import Message, Problem, check
from .facts import ARMENIAN_FULL_STOP
from .text import char, chars

STOP, QUESTION, EXCLAMATION, COLON, SEMICOLON, ELLIPSIS, NONE = (
    "full stop", "question mark", "exclamation mark", "colon", "semicolon", "ellipsis", "no end mark",
)  # fmt: skip
# Ellipsis first: "..." also ends with ".".
CLASSES = (ELLIPSIS, STOP, QUESTION, EXCLAMATION, COLON, SEMICOLON)
ANY = None  # the language does not mark this at the end of a sentence: nothing to compare


@dataclass(frozen=True)
class Foreign:
    """A mark of another script, and what the language writes instead."""

    pattern: str  # a regular expression matching the wrong mark
    wrong: str  # the wrong mark
    right: str  # what the language writes, in words, naming characters with text.char

    def message(self, language: Language) -> str:
        return f"Latin {char(self.wrong)}, where {language.english_name} writes {self.right}"


@dataclass(frozen=True)
class Marks:
    """How a language punctuates."""

    ends: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    foreign: tuple[Foreign, ...] = ()
    opening: dict[str, str] = field(default_factory=dict)  # Spanish: "?" needs "¿"
    french_spacing: bool = False

    def allowed(self, kind: str) -> tuple[str, ...] | None:
        return self.ends.get(kind, DEFAULT_ENDS[kind])

    def endings(self) -> set[str]:
        marks = {mark for kind in CLASSES for mark in (DEFAULT_ENDS[kind] or ())}
        for values in self.ends.values():
            marks.update(values or ())
        return {mark for mark in marks if mark}


DEFAULT_ENDS: dict[str, tuple[str, ...] | None] = {
    STOP: (".",),
    QUESTION: ("?",),
    EXCLAMATION: ("!",),
    COLON: (":",),
    SEMICOLON: (";",),
    ELLIPSIS: ("…", "..."),
    NONE: ("",),
}
DEFAULT = Marks()

_NOT_IN_NUMBER = r"(?<!\d){}(?!\d)"
_ARABIC_SCRIPT = Marks(
    ends={QUESTION: ("؟",), SEMICOLON: ("؛",)},
    foreign=(
        Foreign(r"\?", "?", char("؟")),
        Foreign(_NOT_IN_NUMBER.format(","), ",", char("،")),
        Foreign(r";", ";", char("؛")),
    ),
)
_CJK = Marks(
    ends={STOP: ("。",), QUESTION: ("？",), EXCLAMATION: ("！",), COLON: ("：",), SEMICOLON: ("；",), ELLIPSIS: ("……", "…")}
)

TABLES: dict[str, Marks] = {
    # Armenian (see facts.ARMENIAN): ։ ends a sentence; the Latin "." stands for the mijaket
    # (colon or semicolon role); ՞ ՜ ՛ sit on the stressed word, so questions and
    # exclamations have no end mark to compare, and a Latin ? is never right.
    "hy": Marks(
        ends={STOP: (ARMENIAN_FULL_STOP,), QUESTION: ANY, EXCLAMATION: ANY, COLON: (".", "\u2024", ARMENIAN_FULL_STOP),
              SEMICOLON: (".", "\u2024")},
        foreign=(
            Foreign(r"(?<!\d):(?!\d)", ":",
                    f"{char(ARMENIAN_FULL_STOP)} to end a sentence, or the mijaket {char(chr(0x2024))}, "
                    "often typed as a Latin full stop, for a colon"),
            Foreign(r"\?", "?",
                    f"{char(chr(0x055E))} on the stressed vowel of the question word, and {char(ARMENIAN_FULL_STOP)} "
                    "at the end of the sentence"),
        ),
    ),
    "ar": _ARABIC_SCRIPT,
    "fa": _ARABIC_SCRIPT,
    "ur": Marks(ends={**_ARABIC_SCRIPT.ends, STOP: ("۔", ".")}, foreign=_ARABIC_SCRIPT.foreign),
    "el": Marks(
        ends={QUESTION: (";", "\u037e"), SEMICOLON: ("·", "\u0387")},
        foreign=(Foreign(r"\?", "?", f"{char(';')}, the Greek question mark"),),
    ),
    "hi": Marks(ends={STOP: ("।",)}),
    "zh": _CJK,
    "ja": _CJK,
    "th": Marks(ends={STOP: ANY}),
    "fr": Marks(french_spacing=True),
    "fr_CA": Marks(),  # Canadian usage: a space before the colon only; not checked
    "fr_CH": Marks(),
    "es": Marks(opening={"?": "¿", "!": "¡"}),
}


_MARKS: dict[str, Marks] = {}


def marks_for(language: Language) -> Marks:
    """The punctuation table of a language: its own entry, its base language's, or the default."""
    return marks_for_code(language.code)


def marks_for_code(code: str) -> Marks:
    marks = _MARKS.get(code)
    if marks is None:
        marks = _MARKS[code] = TABLES.get(code) or TABLES.get(code.split("_")[0]) or DEFAULT
    return marks


# Closing quotes, brackets, tags and spaces after the end mark: "He left.”" ends with a full stop.
_TRAILER = lazy(r"(?:\s|[)\]\"'”’»›“]|</?[A-Za-z][^<>]*>)+$")


_TRAILING = frozenset(" \t\n\r\u00a0\u202f)]\"'”’»›“>")


def end_of(text: str) -> str:
    """``text`` without the closing quotes, brackets, tags and spaces after its last mark."""
    if not text or text[-1] not in _TRAILING:
        return text
    return _end_of(text)


@lru_cache(maxsize=16384)
def _end_of(text: str) -> str:
    return _TRAILER.sub("", text)


_PUNCT = lazy(r"\p{P}")


_BY_ID: dict[int, Marks] = {}


def end_class(text: str, marks: Marks) -> str | None:
    """Which end mark ``text`` has in a language (None: some other punctuation, not compared)."""
    _BY_ID.setdefault(id(marks), marks)
    return _end_class(text, id(marks))


@lru_cache(maxsize=32768)
def _end_class(text: str, marks_id: int) -> str | None:
    marks = _BY_ID[marks_id]
    body = end_of(text)
    if not body:
        return None
    if body[-1].isalnum():
        return NONE  # ends with a word: no end mark
    for kind in CLASSES:
        if any(mark and body.endswith(mark) for mark in (marks.allowed(kind) or ()) + (DEFAULT_ENDS[kind] or ())):
            return kind
    if _PUNCT.match(body[-1]) and body[-1] not in "}":
        return None
    return NONE


def _what(kind: str) -> str:
    return "no closing punctuation" if kind == NONE else f"a {kind}"


_COMPILED: dict[int, tuple] = {}  # by id of a table entry (the entries live as long as the module)


def _foreign_patterns(marks: Marks) -> tuple[tuple[Foreign, regex.Pattern], ...]:
    import regex
    key = id(marks)
    if key not in _COMPILED:
        _COMPILED[key] = (
            tuple((rule, regex.compile(rule.pattern)) for rule in marks.foreign),
            tuple(regex.compile(rule.pattern + r"$") for rule in marks.foreign),
        )
    return _COMPILED[key][0]


def _foreign_at_end(marks: Marks) -> tuple[regex.Pattern, ...]:
    _foreign_patterns(marks)
    return _COMPILED[id(marks)][1]


@check("punctuation", "error", "No punctuation mark of another writing system: a Latin : or ? in Armenian (։ U+0589 ends the sentence, ՞ U+055E marks the question on its word), ? for Arabic ؟.",
       applies=lambda facts: bool(marks_for_code(facts.code).foreign), languages="hy, ar, fa, ur, el")
def check_punctuation(message: Message) -> Iterator[Problem]:
    marks = marks_for(message.language)
    if not marks.foreign:
        return
    for form in message.forms:
        text = form.tr.plain
        for rule, pattern in _foreign_patterns(marks):
            if rule.wrong not in text:
                continue
            count = len(pattern.findall(text))
            if count:
                times = f" ({count} times)" if count > 1 else ""
                yield form.problem(rule.message(message.language) + times)


@check("end-punctuation", "warning", "The translation ends with the language's counterpart of the source's end mark (Armenian ։ U+0589 for a full stop, Arabic ؟ for ?).")
def check_end_punctuation(message: Message) -> Iterator[Problem]:
    marks = marks_for(message.language)
    source_marks = marks_for(message.source_language)
    foreign = _foreign_at_end(marks)
    name = message.language.english_name
    for form in message.forms:
        translation = end_of(form.translation)
        for mark, opener in marks.opening.items():
            if mark in translation and opener not in translation:
                yield form.problem(f"{char(mark)} without the opening {char(opener)} that {name} puts before the question or exclamation")
        kind = end_class(form.source, source_marks)
        if kind is None:
            continue
        allowed = marks.allowed(kind)
        if allowed is ANY:
            continue  # nothing to compare
        if any(mark and translation.endswith(mark) for mark in allowed):
            continue
        if any(rule.search(translation) for rule in foreign):
            continue  # the `punctuation` check reports the wrong mark
        if "" in allowed and end_class(form.translation, marks) in (NONE, None):
            continue
        got = next((mark for mark in sorted(marks.endings(), key=len, reverse=True) if translation.endswith(mark)), "")
        found = f"ends with {chars([got])}" if got else "ends without closing punctuation"
        if kind == NONE:
            yield form.problem(f"{found}, but the source has no closing punctuation")
            continue
        source_mark = next((m for m in sorted(source_marks.allowed(kind) or (), key=len, reverse=True)
                            if end_of(form.source).endswith(m)), "")
        written = [m for m in allowed if m]
        if written == [source_mark]:
            yield form.problem(f"{found}; the source ends with {_what(kind)}, {chars([source_mark])}")
        else:
            yield form.problem(f"{found}; the source's {kind} is written {chars(written)} in {name}")


@check("quotes", "warning", "Quotation marks are the language's own (« » in Russian, Armenian and French), not straight or English ones.",
       applies=lambda facts: facts.quotes is not None, languages="those with quotation marks in facts.QUOTES")
def check_quotes(message: Message) -> Iterator[Problem]:
    language_facts = message.facts
    own = language_facts.quote_marks
    if not own or language_facts.base == message.source_facts.base:
        return  # no data, or a variant of the source language (en_GB): its quotes are the source's
    wrong = [mark for mark in '"“”' if mark not in own]
    if not wrong and "„" not in own:
        return
    name = message.language.english_name
    start, end = language_facts.quotes[0], language_facts.quotes[1]
    for form in message.forms:
        text = form.tr.plain
        used = [mark for mark in wrong if mark in text]
        if "„" in own and "“" in own and "“" in text and "„" not in text and "“" not in used:
            used.insert(0, "“")  # “ closes „…“ in Russian or German; alone it opens English quotes
        if used:
            shown = ", ".join(char(mark) for mark in used)
            yield form.problem(f"quotation marks {shown}; {name} quotes with {start}…{end} ({char(start)} and {char(end)})")


_NBSP = "\u00a0\u202f"


@check("french-spacing", "warning", "French: a no-break space (narrow, U+202F) before ; : ! ? and inside « ».",
       applies=lambda facts: marks_for_code(facts.code).french_spacing, languages="fr (not fr_CA, fr_CH)")
def check_french_spacing(message: Message) -> Iterator[Problem]:
    if not marks_for(message.language).french_spacing:
        return
    for form in message.forms:
        for text_problem in dict.fromkeys(_french_spacing(form.tr.plain)):
            yield form.problem(text_problem)


def french_spacing_edits(plain: str):
    """(position, what is wrong, the edit that fixes it) for every French spacing problem in ``plain``."""
    import regex
    from .text import OBJ, Edit

    found = []
    for match in _FRENCH_MARKS.finditer(plain):
        position, mark = match.start(), match.group()
        before = plain[:position]
        if mark == ":" and before[-1:].isdigit() and plain[position + 1:position + 2].isdigit():
            continue  # 12:30
        if not before or before[-1] in _NBSP or before[-1] in "!?" or before[-1] == OBJ or before[-1] == "\n":
            continue
        if before[-1] == " ":
            found.append((f"a normal space before {mark} (French puts a narrow no-break space, U+202F NARROW NO-BREAK SPACE, there)",
                          Edit(position - 1, position, "\u202f")))
        else:
            found.append((f"no space before {mark} (French puts a narrow no-break space, U+202F NARROW NO-BREAK SPACE, there)",
                          Edit(position, position, "\u202f")))
    for match in regex.finditer("«", plain):
        after = plain[match.end(): match.end() + 1]
        if after and after not in _NBSP and after not in (OBJ, "\n"):
            if after == " ":
                found.append(("a normal space after « (French puts a narrow no-break space, U+202F NARROW NO-BREAK SPACE, there)",
                              Edit(match.end(), match.end() + 1, "\u202f")))
            else:
                found.append(("no space after « (French puts a narrow no-break space, U+202F NARROW NO-BREAK SPACE, there)",
                              Edit(match.end(), match.end(), "\u202f")))
    return found


_FRENCH_MARKS = lazy(r"[;:!?»]")


def _french_spacing(plain: str) -> list[str]:
    if not any(mark in plain for mark in ";:!?»«"):
        return []
    return [text for text, _ in french_spacing_edits(plain)]
