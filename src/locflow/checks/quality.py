"""Message checks: what a translation must keep from its source, and what makes it suspect.

Each function is registered by name (see :func:`locflow.checks.check`) and
yields a :class:`~locflow.checks.Problem` per thing wrong. They compare a
translation with its source the way a reviewer would: placeholders, markup and
numbers must come through, whitespace at the edges and line breaks must match,
the text must be written in the language's script, glossary terms must be
used, and a translation that equals its source or is far longer or shorter
than it deserves a second look.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from .patterns import IGNORECASE, lazy

from ..glossary import missing_terms
from . import Message, Problem, check
from .text import BRACE as _BRACE_RE, CODE as _CODE_RE, PERCENT as _PERCENT_RE
from .text import URL as _URL_RE, analyze, format_key

# ---------------------------------------------------------------------------
# Pieces of text that are code, not language
# ---------------------------------------------------------------------------

BRACE = lazy(_BRACE_RE)
PERCENT = lazy(_PERCENT_RE)
PERCENT_ESCAPE = lazy(r"%%")
# HTML/XML tags; the token keeps the tag name and the href/src target, not translatable attributes.
TAG = lazy(r"</?([A-Za-z][\w:.-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
TAG_TARGET = lazy(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", IGNORECASE)
URL = lazy(_URL_RE)
MARKDOWN_TARGET = lazy(r"\]\(((?:[^()\s]|\([^()\s]*\))+)(?:\s+\"(?:[^\"\\]|\\.)*\")?\)")
# [text][ref] and [ref]: https://... — reference links and their definitions.
MARKDOWN_REFERENCE = lazy(r"\]\[([^\[\]]*)\]")
MARKDOWN_DEFINITION = lazy(r"(?m)^ {0,3}\[[^\[\]]+\]:\s*\S+")
# Lines that would change a Markdown article's structure: a heading, list item, quote,
# code fence, thematic break or front-matter fence (--- / +++), a table row.
MARKDOWN_BLOCK = lazy(r"(?m)^ {0,3}(#{1,6}(?=\s|$)|[-*+](?=\s)|\d{1,9}[.)](?=\s)|>|```|~~~|---+\s*$|\+\+\+\s*$|\|)")
# Autolinks <scheme:...> (tags have no ':' in their name): a new one is markup the source lacks.
AUTOLINK = lazy(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>")
CODE_SPAN = lazy(_CODE_RE)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _has_flag(message: Message, flag: str) -> bool:
    return flag in message.flags


def placeholders(text: str, message: Message) -> Counter[str]:
    """The format placeholders in ``text``, by the rules of the message's format flags."""
    return _placeholders(text, *format_key(message.flags))


@lru_cache(maxsize=16384)
def _placeholders(text: str, brace: bool, percent: bool) -> Counter[str]:
    found: Counter[str] = Counter()
    if brace and "{" in text:
        found.update(BRACE.findall(text))
    if percent and "%" in text:
        found.update(PERCENT.findall(PERCENT_ESCAPE.sub("", text)))
    return found


@lru_cache(maxsize=16384)
def markup(text: str, markdown: bool = False) -> Counter[str]:
    """Tags (name and link target), Markdown link targets and references, inline code and
    URLs in ``text``; with ``markdown``, also lines that are Markdown block structure."""
    found: Counter[str] = Counter()
    if "<" in text and ":" in text:
        found.update(AUTOLINK.findall(text))
        text = AUTOLINK.sub(" ", text)
    if "<" in text:
        for match in TAG.finditer(text):
            closing = match.group(0).startswith("</")
            name = match.group(1).lower()
            target = TAG_TARGET.search(match.group(2) or "")
            attrs = ""
            if target:
                value = next(v for v in target.groups()[1:] if v is not None)
                attrs = f' {target.group(1).lower()}="{value}"'
            found[f"<{'/' if closing else ''}{name}{attrs}{'/' if match.group(3) else ''}>"] += 1
        without_tags = TAG.sub(" ", text)
    else:
        without_tags = text
    if "](" in without_tags:
        found.update(f"]({target})" for target in MARKDOWN_TARGET.findall(without_tags))
    if "][" in without_tags:
        found.update(f"][{ref}]" for ref in MARKDOWN_REFERENCE.findall(without_tags))
    if "]:" in without_tags:
        found.update(match.group().strip() for match in MARKDOWN_DEFINITION.finditer(without_tags))
    if "`" in without_tags:
        found.update(CODE_SPAN.findall(without_tags))
    if ":" in without_tags:
        found.update(URL.findall(MARKDOWN_TARGET.sub(" ", without_tags)))
    if markdown:
        found.update(f"line starting {match.group(1).strip()!r}" for match in MARKDOWN_BLOCK.finditer(without_tags))
    return found


@lru_cache(maxsize=16384)
def nesting_error(text: str) -> str | None:
    """Why the tags of ``text`` are not properly nested, or None."""
    stack: list[str] = []
    for match in TAG.finditer(text):
        name = match.group(1).lower()
        if match.group(3) or name in _VOID:
            continue
        if match.group(0).startswith("</"):
            if not stack or stack[-1] != name:
                return f"</{name}> closes " + (f"<{stack[-1]}>" if stack else "nothing that is open")
            stack.pop()
        else:
            stack.append(name)
    return f"<{stack[-1]}> is never closed" if stack else None


def _compare(source: Counter[str], translation: Counter[str], what: str) -> Iterator[str]:
    if dict.__eq__(source, translation):  # Counter.__eq__ is Python code; these hold positive counts only
        return
    missing = source - translation
    extra = translation - source
    if missing:
        yield f"missing {what} {_list(missing)}"
    if extra:
        yield f"unexpected {what} {_list(extra)}"


def _list(items: Counter[str]) -> str:
    return ", ".join(sorted(items.elements()))


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


@check("placeholders", "error", "Format placeholders ({date}, %s, %(name)s) are the same in the translation as in the source.")
def check_placeholders(message: Message) -> Iterator[Problem]:
    entry = message.entry
    if entry.msgid_plural:
        # A plural form may drop a placeholder only one of the two source strings has
        # ("one article" / "{n} articles"), and may use only what one of them has.
        singular = placeholders(entry.msgid, message)
        plural = placeholders(entry.msgid_plural, message)
        required = singular & plural
        allowed = singular | plural
        for form in message.forms:
            found = placeholders(form.translation, message)
            missing = required - found
            extra = Counter({name: n for name, n in found.items() if name not in allowed})
            if missing:
                yield form.problem(f"missing placeholder {_list(missing)}")
            if extra:
                yield form.problem(f"unexpected placeholder {_list(extra)}")
        return
    for form in message.forms:
        source, translation = form.source, form.translation
        if "{" not in source and "{" not in translation and "%" not in source and "%" not in translation:
            continue
        for text in _compare(placeholders(source, message), placeholders(translation, message), "placeholder"):
            yield form.problem(text)


@check("markup", "error", "Tags, link targets, inline code and URLs are kept as in the source, tags nest as in the source, and a Markdown translation adds no block markup.")
def check_markup(message: Message) -> Iterator[Problem]:
    markdown = message.format == "markdown"
    for form in message.forms:
        for text in _compare(markup(form.source, markdown), markup(form.translation, markdown), "markup"):
            yield form.problem(text)
        if "<" in form.translation:
            broken = nesting_error(form.translation)
            if broken and not nesting_error(form.source):
                yield form.problem(f"tags are not nested as in the source: {broken}")


_ESCAPE = lazy(r"\\.")


@lru_cache(maxsize=16384)
def escapes(text: str) -> Counter[str]:
    """Backslash escapes (a literal \\n, Markdown's \\* \\# \\<) outside inline code."""
    if "\\" not in text:
        return Counter()
    return Counter(_ESCAPE.findall(CODE_SPAN.sub(" ", text)))


@check("escapes", "warning", "Backslash escapes (a literal \\n, Markdown's \\* or \\#) are the same as in the source.")
def check_escapes(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        if "\\" not in form.translation and "\\" not in form.source:
            continue
        for text in _compare(escapes(form.source), escapes(form.translation), "backslash escape"):
            yield form.problem(text)


def numbers(text: str) -> Counter[str]:
    """The numbers in ``text`` as runs of digits in any script (١٩٩٠ is 1990), leading zeros dropped.

    Separators are not compared: 1,000 and 1 000 and 12-19 and 12–19 are the same numbers.
    """
    return analyze(text).numbers


@check("numbers", "error", "Numbers and years (1990, 12-19) in the source appear in the translation, and no others.")
def check_numbers(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        if form.src.digit_runs == form.tr.digit_runs:
            continue
        source, translation = form.src.numbers, form.tr.numbers
        if form.index is not None:
            # Plural forms often spell the count out ("one") or drop it: compare only extras.
            forms = message.forms
            source = forms[0].src.numbers | (forms[1].src.numbers if len(forms) > 1 else Counter())
            extra = translation - source
            if extra:
                yield form.problem(f"number {_list(extra)} is not in the source")
            continue
        missing, extra = source - translation, translation - source
        if missing:
            noun = "number" if sum(missing.values()) == 1 else "numbers"
            yield form.problem(f"{noun} {_list(missing)} missing from the translation")
        if extra:
            noun = "number" if sum(extra.values()) == 1 else "numbers"
            yield form.problem(f"{noun} {_list(extra)} not in the source")


def _edges(text: str) -> tuple[str, str]:
    stripped = text.strip()
    if not stripped:
        return text, ""
    start = text.index(stripped[0])
    return text[:start], text[start + len(stripped):]


@check("whitespace", "warning", "Leading and trailing whitespace and the number of line breaks match the source.")
def check_whitespace(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        (src_lead, src_trail), (tr_lead, tr_trail) = _edges(form.source), _edges(form.translation)
        if src_lead != tr_lead:
            yield form.problem(f"starts with {_show(tr_lead)}, the source with {_show(src_lead)}")
        if src_trail != tr_trail:
            yield form.problem(f"ends with {_show(tr_trail)}, the source with {_show(src_trail)}")
        src_breaks, tr_breaks = form.source.count("\n"), form.translation.count("\n")
        if src_breaks != tr_breaks:
            yield form.problem(f"{tr_breaks} line break{'s' if tr_breaks != 1 else ''}, the source has {src_breaks}")


def _show(space: str) -> str:
    if not space:
        return "no whitespace"
    names = {" ": "space", "\n": "line break", "\t": "tab", "\u00a0": "no-break space", "\u202f": "narrow no-break space"}
    return " + ".join(names.get(ch, f"U+{ord(ch):04X}") for ch in space)


@check("same-as-source", "warning", "The translation is not a copy of the source text.")
def check_same_as_source(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        if form.translation.strip() == form.source.strip() and form.src.letters >= 2:
            yield form.problem("identical to the source text")


# Writing systems made of several Unicode scripts.
_SCRIPT_PARTS = {"Jpan": ("Hira", "Kana", "Hani"), "Kore": ("Hang", "Hani"), "Hans": ("Hani",), "Hant": ("Hani",)}
_SCRIPT_NAMES = {
    "Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Armn": "Armenian", "Grek": "Greek",
    "Hebr": "Hebrew", "Geor": "Georgian", "Deva": "Devanagari", "Hani": "Han", "Hira": "Hiragana",
    "Kana": "Katakana", "Hang": "Hangul", "Thai": "Thai", "Beng": "Bengali", "Ethi": "Ethiopic",
}  # fmt: skip
# At least this share of the letters must be in the language's script: names
# and terms kept in the source script are fine, a sentence left in it is not.
SCRIPT_SHARE = 0.5


@lru_cache(maxsize=None)
def _script_pattern(script: str) -> regex.Pattern:
    import regex
    parts = _SCRIPT_PARTS.get(script, (script,))
    return regex.compile("[" + "".join(rf"\p{{sc={part}}}" for part in parts) + "]+")


_NAMED_SCRIPTS = {code: lazy(rf"\p{{sc={code}}}+") for code in _SCRIPT_NAMES}


def script_letters(text: str, script: str) -> int:
    return sum(map(len, _script_pattern(script).findall(analyze(text).plain)))


@check("script", "error", applies=lambda facts: facts.script is not None, languages="every language Babel knows the script of", explanation= "The translation is written in the language's script (Armenian in hy, Cyrillic in ru, Arabic in ar).")
def check_script(message: Message) -> Iterator[Problem]:
    script = message.language.script
    if not script:
        return
    pattern = _script_pattern(script)
    latin = script == "Latn"
    for form in message.forms:
        plain = form.tr.plain
        if latin and plain.isascii():
            continue  # every letter is Latin
        letters = form.tr.letters
        if letters < 3:
            continue
        share = sum(map(len, pattern.findall(plain))) / letters
        if share >= SCRIPT_SHARE:
            continue
        others = Counter()
        for code, name in _SCRIPT_NAMES.items():
            count = sum(map(len, _NAMED_SCRIPTS[code].findall(plain)))
            if count:
                others[name] = count
        mostly = others.most_common(1)[0][0] if others else "another script"
        expected = _SCRIPT_NAMES.get(script, script)
        yield form.problem(f"written in {mostly}: only {share:.0%} of the letters are {expected} ({script})")


@check("glossary", "warning", "Glossary terms in the source are translated with the glossary's approved translation.")
def check_glossary(message: Message) -> Iterator[Problem]:
    if not message.glossary:
        return
    for form in message.forms:
        for term in missing_terms(form.source, form.translation, list(message.glossary)):
            yield form.problem(f"glossary: {term.source!r} should be translated as {term.target!r}")


@check("length", "warning", "The translation's length is within the expected ratio to the source's (default 0.5 to 2.5 times).")
def check_length(message: Message) -> Iterator[Problem]:
    low, high = message.options.length_ratio
    for form in message.forms:
        source, translation = form.source.strip(), form.translation.strip()
        if len(source) < message.options.length_min_source:
            continue
        ratio = len(translation) / len(source)
        if ratio < low:
            yield form.problem(f"{ratio:.2f} times as long as the source (expected at least {low:g})")
        elif ratio > high:
            yield form.problem(f"{ratio:.2f} times as long as the source (expected at most {high:g})")


@check("plural-forms", "error", "A plural message has exactly as many non-empty forms as the Plural-Forms header says.")
def check_plural_forms(message: Message) -> Iterator[Problem]:
    entry = message.entry
    if not entry.msgid_plural:
        return
    if message.nplurals is None:
        yield Problem("plural message, but the catalog has no Plural-Forms header")
        return
    indexes = sorted(entry.msgstr_plural)
    if indexes != list(range(message.nplurals)):
        have = len(indexes)
        yield Problem(
            f"{have} plural form{'s' if have != 1 else ''}, the Plural-Forms header says nplurals={message.nplurals}",
            " | ".join(entry.msgstr_plural[i] for i in indexes),
        )
    for index in indexes:
        if index < message.nplurals and not entry.msgstr_plural[index]:
            yield Problem(f"msgstr[{index}] is empty", "")


@check("same-plurals", "warning", applies=lambda facts: not facts.uninflected_plurals,
       languages="all but those whose nouns keep one form after numerals (facts.UNINFLECTED_PLURALS)", explanation= "A plural message's forms are not all the same text, in languages that change the word with the number (Armenian and Turkish keep it: not checked there).")
def check_same_plurals(message: Message) -> Iterator[Problem]:
    entry = message.entry
    if not entry.msgid_plural or message.facts.uninflected_plurals or entry.msgid == entry.msgid_plural:
        return  # no plural, a language that keeps one form, or a source that does not vary either
    forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    if len(forms) < 2 or not forms[0].strip() or len(set(forms)) != 1:
        return
    if analyze(forms[0]).letters == 0:
        return
    yield Problem(
        f"all {len(forms)} plural forms are the same text; {message.language.english_name} changes the word "
        "with the number (one form per Plural-Forms case)",
        forms[0],
    )
