"""Typography a reader notices: spacing around punctuation, doubled spaces and words,
unbalanced brackets and quotation marks, the number of sentences, ellipses, capitals.

Every rule reads the prose of the translation (:mod:`locflow.checks.text`: tags
take no room, URLs and placeholders are opaque) through the language's facts
(:mod:`locflow.checks.facts`): its own marks (Armenian ։ ՝ ՞, Arabic ، ؛ ؟),
its quotation pairs, the separators of its numbers (Babel) and the
abbreviations that end with a full stop. Each check compares with the source
where the source could be the reason (a doubled space the source has too is
not the translator's), as pofilter and Weblate do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice, repeat
from operator import eq

from .patterns import lazy

from . import Form, Message, Problem, check
from .facts import ARMENIAN_WORD_MARKS, NO_SENTENCE_MARKS, UNSPACED, YEAR_WORDS, Facts
from .punctuation import marks_for
from .text import OBJ, char

_SPACE = " \u00a0\u202f\u2009\t"

# ---------------------------------------------------------------------------
# punctuation-spacing
# ---------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _spacing_rules(facts: Facts, french: bool) -> tuple[str, str, str]:
    """(marks that take no space before, marks that take none after, marks that need a space after)."""
    closing = set(",.;:!?)]}…")
    opening = set("([{")
    after = set(",;:!?")
    for open_mark, close_mark in facts.quote_pairs:
        if open_mark != close_mark:
            closing.add(close_mark)
            opening.add(open_mark)
    if facts.base == "hy":
        closing.update("\u0589\u055d")
        after.update("\u0589\u055d")
    if facts.script == "Arab":
        closing.update("،؛؟")
        after.update("،؛؟")
    if french:  # French spacing has its own check: ; : ! ? » take a no-break space before, « after
        closing -= set(";:!?»")
        opening -= {"«"}
    closing.discard("…")  # "… and then": an ellipsis may stand apart
    return "".join(sorted(closing)), "".join(sorted(opening)), "".join(sorted(after))


@lru_cache(maxsize=4096)
def _spacing_patterns(closing: str, opening: str, after: str, armenian: bool):
    import regex
    close_class, open_class, after_class = (regex.escape(chars) for chars in (closing, opening, after))
    space_before = rf"(?<=[\p{{L}}\p{{N}}])[ \u00a0\t]+([{close_class}])(?=$|[\s{close_class}]|\p{{P}})"
    space_after = rf"([{open_class}])[ \u00a0\t]+(?=[\p{{L}}\p{{N}}])"
    no_space_after = rf"(?<=[\p{{L}}\p{{M}}\p{{N}}\p{{Pe}}\p{{Pf}}])([{after_class}])(?=\p{{L}})"
    word_mark = rf"(?<![\p{{L}}\p{{M}}])[{ARMENIAN_WORD_MARKS}]"
    anything = "|".join([space_before, space_after, no_space_after] + ([word_mark] if armenian else []))
    return (regex.compile(anything), regex.compile(space_before), regex.compile(space_after),
            regex.compile(no_space_after), regex.compile(word_mark))


def spacing_problems(plain: str, facts: Facts, french: bool) -> list[tuple[str, str]]:
    """(kind, message) of every spacing problem: kinds "before", "after-open", "after", "word-mark"."""
    closing, opening, after = _spacing_rules(facts, french)
    armenian = facts.base == "hy"
    anything, space_before, space_after, no_space_after, word_mark = _spacing_patterns(closing, opening, after, armenian)
    if not anything.search(plain):
        return []
    found = []
    for match in space_before.finditer(plain):
        mark = match.group(1)
        if mark == "." and (plain[match.end():match.end() + 1].isalnum() or plain[match.end():match.end() + 1] == "."):
            continue  # ".NET", " .5", and " ..." (dots standing for an ellipsis: the ellipsis check's)
        found.append(("before", f"a space before {char(mark)}, where " + "{language} puts none"))
    for match in space_after.finditer(plain):
        found.append(("after-open", f"a space after {char(match.group(1))}, where " + "{language} puts none"))
    for match in no_space_after.finditer(plain):
        mark, position = match.group(1), match.start(1)
        if plain[position - 1:position].isdigit() and mark in ",:":
            continue
        found.append(("after", f"no space after {char(mark)} before the next word"))
    if armenian:
        for match in word_mark.finditer(plain):
            found.append(("word-mark", f"{char(match.group())} stands apart; it goes on the stressed vowel of its word"))
    return found


@check("punctuation-spacing", "warning", "No space before , . ; : ! ? ) » (and Armenian ։ ՝, Arabic ، ؛ ؟), a space after them, none inside brackets; Armenian ՞ ՜ ՛ sit on their word.")
def check_punctuation_spacing(message: Message) -> Iterator[Problem]:
    facts = message.facts
    french = marks_for(message.language).french_spacing
    name = message.language.english_name
    for form in message.forms:
        problems = spacing_problems(form.tr.plain, facts, french)
        if not problems:
            continue
        in_source = _source_spacing(form.src.plain, message.source_facts)
        for text in dict.fromkeys(text.replace("{language}", name) for kind, text in problems if kind not in in_source):
            yield form.problem(text)


@lru_cache(maxsize=32768)
def _source_spacing(plain: str, facts: Facts) -> frozenset[str]:
    return frozenset(kind for kind, _ in spacing_problems(plain, facts, False))


# ---------------------------------------------------------------------------
# double-space, doubled-words
# ---------------------------------------------------------------------------

_DOUBLE_SPACE = lazy(r"(?<=\S)[ \u00a0\u202f\u2009\t]{2,}(?=\S)")


@check("double-space", "warning", "No two spaces in a row inside the text, unless the source has them.")
def check_double_space(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        plain = form.tr.plain
        if "  " not in plain and not _DOUBLE_SPACE.search(plain):
            continue
        if _has_double_space(form.src.plain):
            continue
        for match in _DOUBLE_SPACE.finditer(plain):
            words = plain[:match.start()].split()
            word = words[-1][-20:] if words else ""
            after = "" if not word else " after a placeholder" if word[-1] == OBJ else f' after "{word}"'
            yield form.problem(f"{len(match.group())} spaces in a row{after}")
            break


@lru_cache(maxsize=32768)
def _has_double_space(plain: str) -> bool:
    return _DOUBLE_SPACE.search(plain) is not None


_EDGE = "\"'“”„«»‹›()[]{}.,;:!?…—–\u0589\u055d،؛؟"


_EDGE_RE = lazy("[" + re.escape(_EDGE) + "]")


def doubled(form_analysis, facts: Facts | None) -> list[str]:
    """Words written twice in a row (only spaces between), case-insensitively."""
    return _doubled(form_analysis.plain, facts.doubled_words if facts is not None else frozenset())


@lru_cache(maxsize=32768)
def _doubled(plain: str, allowed: frozenset[str]) -> list[str]:
    if "*" in allowed:
        return []
    # In C first: is any word followed by itself (perhaps with a mark after it)?
    folded = plain.casefold().split()
    if len(folded) < 2 or not any(map(eq, folded, map(str.rstrip, islice(folded, 1, None), repeat(_EDGE)))):
        return []
    tokens = plain.split()
    found = []
    for index in range(1, len(tokens)):
        first, second = folded[index - 1], folded[index]
        if first[-1:] in _EDGE or second[:1] in _EDGE:
            continue  # punctuation between the two: "Нет, нет"
        word = second.rstrip(_EDGE)
        if word != first.lstrip(_EDGE) or not any(ch.isalpha() for ch in word) or word in allowed:
            continue
        found.append(tokens[index].rstrip(_EDGE))
    return found


@check("doubled-words", "warning", applies=lambda facts: "*" not in facts.doubled_words,
       languages="all but Vietnamese (reduplication is grammar)", explanation= "No word twice in a row (\"в в Баку\"), except where the language repeats words on purpose (French \"vous vous\").")
def check_doubled_words(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        found = doubled(form.tr, message.facts)
        if not found:
            continue
        in_source = _doubled(form.src.plain, frozenset())
        if len(found) <= len(in_source):
            continue  # the source repeats as many words ("no, no" written "no no")
        source_words = {word.casefold() for word in in_source}
        for word in dict.fromkeys(found):
            if word.casefold() not in source_words:
                yield form.problem(f'the word "{word}" twice in a row')


# ---------------------------------------------------------------------------
# brackets (and quotation pairs)
# ---------------------------------------------------------------------------

_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"), ("（", "）"), ("【", "】"), ("［", "］"))
_NO_BRACES = tuple(pair for pair in _BRACKETS if pair != ("{", "}"))


def _balance(plain: str, pairs: tuple[tuple[str, str], ...], lenient: str = "") -> str | None:
    """Why ``plain`` is unbalanced, or None. A closer in ``lenient`` with nothing of its
    pair open is ignored (“ closes „ in Russian, but alone it is an English quote,
    which the quotes check reports)."""
    openers = {o: c for o, c in pairs}
    closers = {c: o for o, c in pairs}
    stack: list[str] = []
    for ch in _marks_pattern(pairs).findall(plain):
        if ch in openers and ch in closers:  # the same mark opens and closes: not tracked
            continue
        if ch in openers:
            stack.append(ch)
        elif ch in closers:
            if stack and stack[-1] == closers[ch]:
                stack.pop()
            elif ch in lenient and closers[ch] not in stack:
                continue
            elif closers[ch] in stack:
                return f"{char(stack[-1])} is closed by {char(ch)}"
            else:
                return f"{char(ch)} closes nothing"
    if stack:
        return f"{char(stack[-1])} is never closed"
    return None


@lru_cache(maxsize=256)
def _marks_pattern(pairs: tuple[tuple[str, str], ...]) -> regex.Pattern:
    import regex
    return regex.compile("[" + regex.escape("".join(o + c for o, c in pairs)) + "]")


_SOURCE_QUOTES = (("“", "”"), ("«", "»"), ("„", "“"))


@lru_cache(maxsize=32768)
def _source_balanced(plain: str, pairs: tuple[tuple[str, str], ...]) -> tuple[bool, bool]:
    """Whether the source's brackets, and its quotation marks, pair up."""
    quotes = plain.count('"') % 2 == 0 and _balance(plain, _SOURCE_QUOTES, lenient="“") is None
    return _balance(plain, pairs) is None, quotes


@check("brackets", "warning", "Brackets ( ) [ ] { } and the language's quotation marks (« », „ “) are each opened and closed, where the source's are.")
def check_brackets(message: Message) -> Iterator[Problem]:
    facts = message.facts
    quote_pairs = tuple((o, c) for o, c in facts.quote_pairs if o != c)
    # In a python-brace-format message, braces are placeholder syntax: the placeholders check's.
    brackets = _BRACKETS if "python-brace-format" not in message.flags else _NO_BRACES
    pattern = _marks_pattern(brackets + quote_pairs)
    for form in message.forms:
        plain = form.tr.plain
        if not pattern.search(plain):
            continue
        brackets_ok, quotes_ok = _source_balanced(form.src.plain, brackets)
        if brackets_ok:
            broken = _balance(plain, brackets)
            if broken:
                yield form.problem(f"brackets do not pair up: {broken}")
        if quote_pairs and quotes_ok:
            broken = _balance(plain, quote_pairs, lenient="“")
            if broken:
                yield form.problem(f"quotation marks do not pair up: {broken}")


# ---------------------------------------------------------------------------
# sentence-count
# ---------------------------------------------------------------------------

_OPENERS = "\"'“‘«„‹([¿¡—–-\u00a0 "
_CLOSERS = ")]\"'”’»›“"


@lru_cache(maxsize=64)
def _sentence_pattern(ends: str, unspaced: bool) -> regex.Pattern:
    import regex
    marks = regex.escape(ends) + (r"\." if "." in ends else "")
    if unspaced:
        return regex.compile(rf"[{marks}]+[{regex.escape(_CLOSERS)}]*(?=[^\s{regex.escape(_CLOSERS)}])")
    return regex.compile(rf"([{marks}]+)[{regex.escape(_CLOSERS)}]*\s+(?=\S)")


def sentence_count(plain: str, facts: Facts) -> int | None:
    """How many sentences ``plain`` has in the language of ``facts`` (None: not counted there)."""
    if facts.base in NO_SENTENCE_MARKS:
        return None
    return _sentence_count(plain.strip(), facts)


_ANY_LETTER = lazy(r"\p{L}")


@lru_cache(maxsize=32768)
def _sentence_count(text: str, facts: Facts) -> int:
    if not _ANY_LETTER.search(text):
        return 0
    unspaced = facts.base in UNSPACED
    pattern = _sentence_pattern(facts.sentence_ends, unspaced)
    count = 1
    size = len(text)
    for match in pattern.finditer(text):
        if unspaced:
            count += 1
            continue
        position = match.end()
        while position < size and text[position] in _OPENERS:
            position += 1
        if position >= size:
            continue
        first = text[position]
        if facts.cased and first.islower():
            continue  # a lower-case word goes on with the sentence
        if not (first.isalpha() or first.isdigit() or first == OBJ):
            continue
        if match.group(1) == "." and _abbreviation(text[:match.start(1)], facts):
            continue
        count += 1
    return count


_LAST_TOKEN = lazy(r"(\S+)$")
_LAST_WORD = lazy(r"(\S+)\s+(\S+)$")


def _abbreviation(before: str, facts: Facts) -> bool:
    """Whether the full stop after ``before`` ends an abbreviation rather than a sentence."""
    match = _LAST_TOKEN.search(before)
    if not match:
        return False
    token = match.group(1).lstrip(_OPENERS)
    word = token.lower()
    if word in YEAR_WORDS:
        previous = _LAST_WORD.search(before)
        return not (previous and previous.group(1)[-1:].isdigit())  # 1990 г. Тогда: a sentence ends
    if "." in token:
        return True  # U.S., e.g., т.е.
    if len(token) == 1 and token.isalpha() and (token.isupper() or not facts.cased):
        return True  # an initial: J. Smith, د. أحمد
    return word in facts.abbreviations


@check("sentence-count", "warning", applies=lambda facts: facts.base not in NO_SENTENCE_MARKS,
       languages="all but Thai, Lao, Khmer, Burmese (no sentence marks)", explanation= "As many sentences as the source, counted with the language's own sentence marks (Armenian ։, Arabic ؟) and abbreviations (Dr., т. е., թ.).")
def check_sentence_count(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        if form.index not in (None, 0):
            continue
        source = sentence_count(form.src.plain, message.source_facts)
        if not source:
            continue
        translation = sentence_count(form.tr.plain, message.facts)
        if translation and translation != source:
            yield form.problem(
                f"{translation} sentence{'s' if translation != 1 else ''}, the source has {source}"
            )


# ---------------------------------------------------------------------------
# ellipsis
# ---------------------------------------------------------------------------

THREE_DOTS = lazy(r"(?<!\.)\.\.\.(?!\.)")
ELLIPSIS_CHAR = "\u2026"


def ellipsis_wanted(form: Form, style: str) -> bool:
    """Whether three dots in this translation should be … (U+2026)."""
    if style == "character":
        return True
    return ELLIPSIS_CHAR in form.source and "..." not in form.source


@check("ellipsis", "warning", "An ellipsis is … (U+2026) where the site writes it so (ellipsis = \"character\"), or where the source does, not three full stops.")
def check_ellipsis(message: Message) -> Iterator[Problem]:
    style = message.options.ellipsis
    for form in message.forms:
        if "..." not in form.translation:
            continue
        found = len(THREE_DOTS.findall(form.tr.plain))
        if found and ellipsis_wanted(form, style):
            where = "the site writes" if style == "character" else "the source writes"
            times = f" ({found} times)" if found > 1 else ""
            yield form.problem(f"three full stops ... where {where} {char(ELLIPSIS_CHAR)}{times}")


# ---------------------------------------------------------------------------
# capitals
# ---------------------------------------------------------------------------

_FIRST = lazy(r"^[^\p{L}\p{N}\ufffc]*(\p{L})(\p{L}*)")
_TWO_CAPITALS = lazy(r"(?<![\p{L}\p{M}])\p{Lu}\p{Lu}\p{Ll}{2,}(?![\p{L}\p{M}])")


def _first_letter(plain: str) -> tuple[str, str] | None:
    match = _FIRST.match(plain)
    return (match.group(1), match.group(2)) if match else None


def lower_case_names(language) -> frozenset[str]:
    return _lower_case_names(language.code, language)


_LOWER_NAMES: dict[str, frozenset[str]] = {}


def _lower_case_names(code: str, language) -> frozenset[str]:
    names = _LOWER_NAMES.get(code)
    if names is None:
        names = _LOWER_NAMES[code] = _month_and_day_names(language)
    return names


def _month_and_day_names(language) -> frozenset[str]:
    """English month and day names (wide and abbreviated, Babel's) when ``language`` writes
    its own in lower case (French janvier, Russian января): a translation starting with
    one rightly starts in lower case."""
    from babel import Locale

    try:
        own = language.babel_locale
        months = [name for kind in ("wide", "abbreviated") for name in own.months["format"][kind].values()]
        days = [name for kind in ("wide", "abbreviated") for name in own.days["format"][kind].values()]
    except Exception:
        return frozenset()
    if not all(name[:1].islower() for name in months + days if name[:1].isalpha()):
        return frozenset()
    english = Locale.parse("en")
    names = set()
    for table in (english.months["format"], english.days["format"]):
        for kind in ("wide", "abbreviated"):
            names.update(name.lower().rstrip(".") for name in table[kind].values())
    return frozenset(names)


@check("capitals", "warning", applies=lambda facts: facts.cased,
       languages="languages written in a script with capitals (Latin, Cyrillic, Armenian, Greek)", explanation= "The translation does not start in lower case where the source starts with a capital (months and days aside where the language writes them small), and has no word typed with two capitals (\"ЗАпад\").")
def check_capitals(message: Message) -> Iterator[Problem]:
    if not message.facts.cased:
        return
    for form in message.forms:
        src, tr = _first_letter(form.src.plain), _first_letter(form.tr.plain)
        if src and tr:
            (s, s_rest), (t, _) = src, tr
            if s.isupper() and t.islower() and t.upper() != t:
                first_word = (s + s_rest).lower()
                if first_word not in lower_case_names(message.language):
                    yield form.problem(f'starts with lower-case "{t}", where the source starts with a capital')
        if form.translation != form.translation.lower():
            words = _TWO_CAPITALS.findall(form.tr.plain)
            if words:
                in_source = set(_TWO_CAPITALS.findall(form.src.plain))
                for word in dict.fromkeys(words):
                    if word not in in_source:
                        yield form.problem(f'"{word}" starts with two capitals')

