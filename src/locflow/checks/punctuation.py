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

import html
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from ..languages import Language
from . import Message, Problem, check
from .quality import prose

STOP, QUESTION, EXCLAMATION, COLON, SEMICOLON, ELLIPSIS, NONE = (
    "full stop", "question mark", "exclamation mark", "colon", "semicolon", "ellipsis", "no end mark",
)  # fmt: skip
# Ellipsis first: "..." also ends with ".".
CLASSES = (ELLIPSIS, STOP, QUESTION, EXCLAMATION, COLON, SEMICOLON)
ANY = None  # the language does not mark this at the end of a sentence: nothing to compare


@dataclass(frozen=True)
class Foreign:
    """A mark of another script, and the language's own."""

    pattern: str  # a regular expression matching the wrong mark
    wrong: str
    right: str

    def message(self, language: Language) -> str:
        return f"{self.wrong} where {language.english_name} writes {self.right}"


@dataclass(frozen=True)
class Marks:
    """How a language punctuates."""

    ends: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    foreign: tuple[Foreign, ...] = ()
    quotes: str = ""  # the language's own quotation marks (primary pair first); "" = not checked
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
        Foreign(r"\?", "Latin question mark '?'", "'؟' (U+061F)"),
        Foreign(_NOT_IN_NUMBER.format(","), "Latin comma ','", "'،' (U+060C)"),
        Foreign(r";", "Latin semicolon ';'", "'؛' (U+061B)"),
    ),
)
_CJK = Marks(
    ends={STOP: ("。",), QUESTION: ("？",), EXCLAMATION: ("！",), COLON: ("：",), SEMICOLON: ("；",), ELLIPSIS: ("……", "…")}
)
_EAST_SLAVIC = Marks(quotes="«»„“")

TABLES: dict[str, Marks] = {
    # Armenian: ։ ends a sentence; the Latin "." is the mijaket (colon/semicolon role);
    # ՞ ՜ ՛ sit on the stressed word, so questions and exclamations have no end mark to compare.
    "hy": Marks(
        ends={STOP: ("։",), QUESTION: ANY, EXCLAMATION: ANY, COLON: (".", "։"), SEMICOLON: (".",)},
        foreign=(
            Foreign(r"(?<!\d):(?!\d)", "Latin colon ':'", "the full stop '։' (U+0589), or '.' for a colon"),
        ),
        quotes="«»",
    ),
    "ru": _EAST_SLAVIC,
    "uk": _EAST_SLAVIC,
    "be": _EAST_SLAVIC,
    "ar": _ARABIC_SCRIPT,
    "fa": Marks(ends=_ARABIC_SCRIPT.ends, foreign=_ARABIC_SCRIPT.foreign, quotes="«»"),
    "ur": Marks(ends={**_ARABIC_SCRIPT.ends, STOP: ("۔", ".")}, foreign=_ARABIC_SCRIPT.foreign),
    "el": Marks(
        ends={QUESTION: (";", "\u037e"), SEMICOLON: ("·", "\u0387")},
        foreign=(Foreign(r"\?", "Latin question mark '?'", "';' (the Greek question mark)"),),
        quotes="«»“”",
    ),
    "hi": Marks(ends={STOP: ("।",)}),
    "zh": _CJK,
    "ja": _CJK,
    "th": Marks(ends={STOP: ANY}),
    "fr": Marks(quotes="«»“”", french_spacing=True),
    "fr_CA": Marks(quotes="«»“”"),  # Canadian usage: a space before the colon only; not checked
    "fr_CH": Marks(quotes="«»“”"),
    "es": Marks(opening={"?": "¿", "!": "¡"}),
    "de": Marks(quotes="„“‚‘»«›‹"),
    "pl": Marks(quotes="„”«»"),
    "cs": Marks(quotes="„“‚‘"),
}


def marks_for(language: Language) -> Marks:
    """The punctuation table of a language: its own entry, its base language's, or the default."""
    return TABLES.get(language.code) or TABLES.get(language.code.split("_")[0]) or DEFAULT


# Closing quotes, brackets, tags and spaces after the end mark: "He left.”" ends with a full stop.
_TRAILER = regex.compile(r"(?:\s|[)\]\"'”’»›]|</?[A-Za-z][^<>]*>)+$")


def end_of(text: str) -> str:
    return _TRAILER.sub("", text)


def end_class(text: str, marks: Marks) -> str | None:
    """Which end mark ``text`` has in a language (None: some other punctuation, not compared)."""
    body = end_of(text)
    if not body:
        return None
    for kind in CLASSES:
        if any(mark and body.endswith(mark) for mark in (marks.allowed(kind) or ()) + (DEFAULT_ENDS[kind] or ())):
            return kind
    if regex.match(r"\p{P}", body[-1]) and body[-1] not in "}":
        return None
    return NONE


def _describe(endings: tuple[str, ...]) -> str:
    return " or ".join("no end mark" if not mark else f"'{mark}'" for mark in endings)


@check("punctuation", "error", "No punctuation mark of another writing system (a Latin ':' as the Armenian full stop '։', '?' for Arabic '؟').")
def check_punctuation(message: Message) -> Iterator[Problem]:
    marks = marks_for(message.language)
    for form in message.forms:
        text = prose(form.translation)
        for rule in marks.foreign:
            count = len(regex.findall(rule.pattern, text))
            if count:
                times = f" ({count} times)" if count > 1 else ""
                yield form.problem(rule.message(message.language) + times)


@check("end-punctuation", "warning", "The translation ends with the language's counterpart of the source's end mark (Armenian '։' for '.').")
def check_end_punctuation(message: Message) -> Iterator[Problem]:
    marks = marks_for(message.language)
    source_marks = marks_for(message.source_language)
    foreign = [regex.compile(rule.pattern + r"$") for rule in marks.foreign]
    for form in message.forms:
        translation = end_of(form.translation)
        for mark, opener in marks.opening.items():
            if mark in translation and opener not in translation:
                yield form.problem(f"'{mark}' without the opening '{opener}'")
        kind = end_class(form.source, source_marks)
        if kind is None:
            continue
        allowed = marks.allowed(kind)
        if allowed is ANY or any(rule.search(translation) for rule in foreign):
            continue  # nothing to compare, or the `punctuation` check reports the wrong mark
        if any(mark and translation.endswith(mark) for mark in allowed):
            continue
        if "" in allowed and end_class(form.translation, marks) in (NONE, None):
            continue
        got = next((mark for mark in sorted(marks.endings(), key=len, reverse=True) if translation.endswith(mark)), "")
        found = f"'{got}'" if got else "no end mark"
        yield form.problem(
            f"ends with {found}; the source's {kind} is {_describe(allowed)} in {message.language.english_name}"
        )


@check("quotes", "warning", "Quotation marks are the language's own (« » in Russian and Armenian), not English ones.")
def check_quotes(message: Message) -> Iterator[Problem]:
    own = marks_for(message.language).quotes
    if not own:
        return
    wrong = [mark for mark in '"“”' if mark not in own]
    for form in message.forms:
        text = prose(form.translation)
        used = [mark for mark in wrong if mark in text]
        if "„“" in own and "“" in text and "„" not in text:
            used.insert(0, "“")  # “ closes „…“ in Russian or German; alone it opens English quotes
        if used:
            marks = " ".join(used)
            yield form.problem(f"quotation marks {marks}; {message.language.english_name} uses {own[0]}…{own[1]}")


_NBSP = "\u00a0\u202f"
_NBSP_ENTITY = regex.compile(r"&(?:nbsp|#160|#[xX]0*[aA]0|#8239|#[xX]0*202[fF]);")  # written as references in HTML


@check("french-spacing", "warning", "French: a no-break space (narrow, U+202F) before ; : ! ? and inside « ».")
def check_french_spacing(message: Message) -> Iterator[Problem]:
    if not marks_for(message.language).french_spacing:
        return
    for form in message.forms:
        text = prose(_NBSP_ENTITY.sub(lambda m: html.unescape(m.group()), form.translation))
        problems: list[str] = []
        for match in regex.finditer(r"[;:!?»]", text):
            mark, before = match.group(), text[: match.start()]
            if mark == ":" and regex.search(r"\d$", before) and regex.match(r"\d", text[match.end():]):
                continue  # 12:30
            if not before or before[-1] in _NBSP or before[-1] in "!?":
                continue
            what = "a normal space" if before[-1] == " " else "no space"
            problems.append(f"{what} before '{mark}' (French uses a narrow no-break space, U+202F)")
        for match in regex.finditer(r"«", text):
            after = text[match.end(): match.end() + 1]
            if after and after not in _NBSP:
                what = "a normal space" if after == " " else "no space"
                problems.append(f"{what} after '«' (French uses a narrow no-break space, U+202F)")
        for text_problem in dict.fromkeys(problems):
            yield form.problem(text_problem)
