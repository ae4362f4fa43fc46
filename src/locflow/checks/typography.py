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

from collections.abc import Iterator
from functools import lru_cache

import regex

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
def _spacing_patterns(closing: str, opening: str, after: str) -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    close_class, open_class, after_class = (regex.escape(chars) for chars in (closing, opening, after))
    space_before = regex.compile(rf"(?<=[\p{{L}}\p{{N}}])[ \u00a0\t]+([{close_class}])(?=$|[\s{close_class}]|\p{{P}})")
    space_after = regex.compile(rf"([{open_class}])[ \u00a0\t]+(?=[\p{{L}}\p{{N}}])")
    no_space_after = regex.compile(rf"(?<=[\p{{L}}\p{{M}}\p{{N}}\p{{Pe}}\p{{Pf}}])([{after_class}])(?=\p{{L}})")
    return space_before, space_after, no_space_after


def spacing_problems(plain: str, facts: Facts, french: bool) -> list[tuple[str, str]]:
    """(kind, message) of every spacing problem: kinds "before", "after-open", "after", "word-mark"."""
    closing, opening, after = _spacing_rules(facts, french)
    space_before, space_after, no_space_after = _spacing_patterns(closing, opening, after)
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
    if facts.base == "hy":
        for match in regex.finditer(rf"(?<![\p{{L}}\p{{M}}])[{ARMENIAN_WORD_MARKS}]", plain):
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
        in_source = {kind for kind, _ in spacing_problems(form.src.plain, message.source_facts, False)}
        for text in dict.fromkeys(text.replace("{language}", name) for kind, text in problems if kind not in in_source):
            yield form.problem(text)


# ---------------------------------------------------------------------------
# double-space, doubled-words
# ---------------------------------------------------------------------------

_DOUBLE_SPACE = regex.compile(r"(?<=\S)[ \u00a0\u202f\u2009\t]{2,}(?=\S)")


@check("double-space", "warning", "No two spaces in a row inside the text, unless the source has them.")
def check_double_space(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        plain = form.tr.plain
        if "  " not in plain and not _DOUBLE_SPACE.search(plain):
            continue
        if _DOUBLE_SPACE.search(form.src.plain):
            continue
        for match in _DOUBLE_SPACE.finditer(plain):
            words = plain[:match.start()].split()
            word = words[-1][-20:] if words else ""
            after = "" if not word else " after a placeholder" if word[-1] == OBJ else f' after "{word}"'
            yield form.problem(f"{len(match.group())} spaces in a row{after}")
            break


def doubled(form_analysis, facts: Facts | None) -> list[str]:
    """Words written twice in a row (only spaces between), case-insensitively."""
    plain, words = form_analysis.plain, form_analysis.words
    found = []
    allowed = facts.doubled_words if facts is not None else frozenset()
    if "*" in allowed:
        return found
    for (s1, e1), (s2, e2) in zip(words, words[1:]):
        word = plain[s1:e1].casefold()
        if word != plain[s2:e2].casefold() or word.isdigit() or word in allowed:
            continue
        gap = plain[e1:s2]
        if gap and not gap.strip(_SPACE):
            found.append(plain[s2:e2])
    return found


@check("doubled-words", "warning", "No word twice in a row (\"в в Баку\"), except where the language repeats words on purpose (French \"vous vous\").")
def check_doubled_words(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        found = doubled(form.tr, message.facts)
        if not found:
            continue
        in_source = {word.casefold() for word in doubled(form.src, None)}
        for word in dict.fromkeys(found):
            if word.casefold() not in in_source:
                yield form.problem(f'the word "{word}" twice in a row')


# ---------------------------------------------------------------------------
# brackets (and quotation pairs)
# ---------------------------------------------------------------------------

_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"), ("（", "）"), ("【", "】"), ("［", "］"))


def _balance(plain: str, pairs: list[tuple[str, str]], lenient: str = "") -> str | None:
    """Why ``plain`` is unbalanced, or None. A closer in ``lenient`` with nothing of its
    pair open is ignored (“ closes „ in Russian, but alone it is an English quote,
    which the quotes check reports)."""
    openers = {o: c for o, c in pairs}
    closers = {c: o for o, c in pairs}
    stack: list[str] = []
    for ch in plain:
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


def _source_quotes_balanced(plain: str) -> bool:
    return plain.count('"') % 2 == 0 and _balance(plain, [("“", "”"), ("«", "»"), ("„", "“")], lenient="“") is None


@check("brackets", "warning", "Brackets ( ) [ ] { } and the language's quotation marks (« », „ “) are each opened and closed, where the source's are.")
def check_brackets(message: Message) -> Iterator[Problem]:
    facts = message.facts
    quote_pairs = [(o, c) for o, c in facts.quote_pairs if o != c]
    # In a python-brace-format message, braces are placeholder syntax: the placeholders check's.
    brackets = [pair for pair in _BRACKETS if pair != ("{", "}") or "python-brace-format" not in message.flags]
    marks = "".join(o + c for o, c in brackets) + "".join(o + c for o, c in quote_pairs)
    for form in message.forms:
        plain = form.tr.plain
        if not any(ch in plain for ch in marks):
            continue
        source = form.src.plain
        broken = _balance(plain, brackets)
        if broken and _balance(source, brackets) is None:
            yield form.problem(f"brackets do not pair up: {broken}")
        if quote_pairs and _source_quotes_balanced(source):
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
    marks = regex.escape(ends) + (r"\." if "." in ends else "")
    if unspaced:
        return regex.compile(rf"[{marks}]+[{regex.escape(_CLOSERS)}]*(?=[^\s{regex.escape(_CLOSERS)}])")
    return regex.compile(rf"([{marks}]+)[{regex.escape(_CLOSERS)}]*\s+(?=\S)")


def sentence_count(plain: str, facts: Facts) -> int | None:
    """How many sentences ``plain`` has in the language of ``facts`` (None: not counted there)."""
    if facts.base in NO_SENTENCE_MARKS:
        return None
    if not any(ch.isalpha() for ch in plain):
        return 0
    unspaced = facts.base in UNSPACED
    pattern = _sentence_pattern(facts.sentence_ends, unspaced)
    count = 1
    for match in pattern.finditer(plain.strip()):
        if unspaced:
            count += 1
            continue
        text = plain.strip()
        rest = text[match.end():].lstrip(_OPENERS)
        if not rest:
            continue
        first = rest[0]
        if facts.cased and first.isalpha() and first.lower() == first and first.upper() != first:
            continue  # a lower-case word goes on with the sentence
        if not (first.isalpha() or first.isdigit() or first == OBJ):
            continue
        mark = match.group(1)
        if mark == "." and _abbreviation(text[:match.start(1)], facts):
            continue
        count += 1
    return count


_LAST_TOKEN = regex.compile(r"(\S+)$")
_LAST_WORD = regex.compile(r"(\S+)\s+(\S+)$")


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
    if len(token) == 1 and token.isalpha():
        return True  # an initial: J. Smith, د. أحمد
    return word in facts.abbreviations


@check("sentence-count", "warning", "As many sentences as the source, counted with the language's own sentence marks (Armenian ։, Arabic ؟) and abbreviations (Dr., т. е., թ.).")
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

THREE_DOTS = regex.compile(r"(?<!\.)\.\.\.(?!\.)")
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

_FIRST = regex.compile(r"^[^\p{L}\p{N}\ufffc]*(\p{L})(\p{L}*)")
_TWO_CAPITALS = regex.compile(r"(?<![\p{L}\p{M}])\p{Lu}\p{Lu}\p{Ll}{2,}(?![\p{L}\p{M}])")


def _first_letter(plain: str) -> tuple[str, str] | None:
    match = _FIRST.match(plain)
    return (match.group(1), match.group(2)) if match else None


@lru_cache(maxsize=None)
def lower_case_names(language) -> frozenset[str]:
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


@check("capitals", "warning", "The translation does not start in lower case where the source starts with a capital (months and days aside where the language writes them small), and has no word typed with two capitals (\"ЗАпад\").")
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
        if any(ch.isupper() for ch in form.translation):
            words = _TWO_CAPITALS.findall(form.tr.plain)
            if words:
                in_source = set(_TWO_CAPITALS.findall(form.src.plain))
                for word in dict.fromkeys(words):
                    if word not in in_source:
                        yield form.problem(f'"{word}" starts with two capitals')

