"""What must never reach a page: unsafe HTML, invisible characters, damaged text.

* ``unsafe-html`` (error): a translation that adds a ``<script>``-like element,
  an ``on...=`` event handler, a ``javascript:`` (or ``vbscript:``,
  ``data:text/html``) URL, a CSS ``expression(``, or an HTML comment. The build
  escapes what a translation adds, but a catalog is also read by other tools
  (a site's own templates, Weblate, a JSON consumer), so it is an error even
  where locflow's output would show it as text. What the source itself has
  (an article about XSS) is not reported.
* ``blank`` (error): a translation of only spaces, which gettext counts as
  translated and the page shows as nothing.
* ``invisible-characters`` (warning): control characters, zero-width spaces,
  byte-order marks, U+FFFD (text damaged by a wrong encoding), and direction
  controls in a left-to-right language (right-to-left languages need U+200F and
  the isolates; the overrides U+202D/U+202E, which reorder what a reader sees,
  are reported everywhere).
* ``kashida`` (warning): the decorative ARABIC TATWEEL stretch in Arabic-script text.
* ``conflict-markers`` (error): msgcat's ``#-#-#-#-#`` joins of two translations.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache

from .patterns import IGNORECASE, lazy

from . import Message, Problem, check
from .facts import ZERO_WIDTH_SPACE_SCRIPTS
from .text import char

# ---------------------------------------------------------------------------
# unsafe-html
# ---------------------------------------------------------------------------

_ELEMENTS = (
    "script iframe frame frameset object embed applet style link meta base form input button textarea "
    "select option svg math template noscript xml portal"
).split()
_ELEMENT = lazy(rf"<\s*({'|'.join(_ELEMENTS)})(?=[\s/>])", IGNORECASE)
_HANDLER = lazy(r"<[^<>]*?[\s\"'/](on[a-z]+|srcdoc|formaction)\s*=", IGNORECASE)
_SCHEME = lazy(r"(javascript|vbscript|livescript)\s*:|data\s*:\s*text/html", IGNORECASE)
_CSS = lazy(r"expression\s*\(|-moz-binding|behavior\s*:", IGNORECASE)
_COMMENT = lazy(r"<!--|<!\[CDATA\[|<\?")
# Whitespace and controls a browser ignores inside a URL scheme: java&#9;script: is javascript:.
_SCHEME_NOISE = lazy(r"[\x00-\x20\u00ad\u200b-\u200d\ufeff]+")


_TRIGGER = lazy(r"[<:(&]")


@lru_cache(maxsize=16384)
def unsafe(text: str) -> list[str]:
    """What is unsafe in ``text``, in words (each kind once)."""
    if not _TRIGGER.search(text):
        return []
    found: list[str] = []
    if "<" in text:
        for match in _ELEMENT.finditer(text):
            found.append(f"a <{match.group(1).lower()}> element")
        for match in _HANDLER.finditer(text):
            found.append(f"an event-handler attribute {match.group(1).lower()}=")
        if _COMMENT.search(text):
            found.append("an HTML comment or processing instruction (<!-- or <?), which hides text from readers")
    decoded = _SCHEME_NOISE.sub("", html.unescape(text)) if "&" in text else _SCHEME_NOISE.sub("", text)
    for match in _SCHEME.finditer(decoded):
        scheme = match.group(1) or "data:text/html"
        found.append(f"a {scheme.lower().rstrip(':')}: URL" if match.group(1) else "a data:text/html URL")
    if _CSS.search(decoded):
        found.append("CSS that runs code (expression(, -moz-binding or behavior:)")
    return list(dict.fromkeys(found))


@check("unsafe-html", "error", "No <script>, <iframe> or other active element, no on...= handler, no javascript: URL or HTML comment that the source does not have.")
def check_unsafe_html(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        found = unsafe(form.translation)
        if not found:
            continue
        allowed = set(unsafe(form.source))
        for what in found:
            if what not in allowed:
                yield form.problem(f"unsafe HTML: {what}")


# ---------------------------------------------------------------------------
# blank, conflict-markers
# ---------------------------------------------------------------------------


@check("blank", "error", "A translation is not only spaces: gettext counts it as translated, and the page shows nothing.")
def check_blank(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        if form.translation and not form.translation.strip():
            yield form.problem("the translation is only whitespace; the page would show nothing here")


@check("conflict-markers", "error", "No #-#-#-#-# marker, which msgcat and msgmerge write when they join two different translations.")
def check_conflict_markers(message: Message) -> Iterator[Problem]:
    for form in message.forms:
        if "#-#-#-#-#" in form.translation and "#-#-#-#-#" not in form.source:
            yield form.problem("two translations joined by msgcat's #-#-#-#-# marker; keep one of them")


# ---------------------------------------------------------------------------
# invisible-characters, kashida
# ---------------------------------------------------------------------------

_ALWAYS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))) + (
    "\u200b\u2060\ufeff\ufffd\u202d\u202e"
)
_DIRECTION = "\u200e\u200f\u061c\u202a\u202b\u202c\u2066\u2067\u2068\u2069"
_INVISIBLE_LTR = lazy(f"[{re.escape(_ALWAYS + _DIRECTION)}]")
_INVISIBLE_RTL = lazy(f"[{re.escape(_ALWAYS)}]")
_WHY = {
    "\ufffd": "the text was damaged by a wrong encoding",
    "\u202d": "it reorders what the reader sees",
    "\u202e": "it reorders what the reader sees",
}


@check("invisible-characters", "warning", "No control characters, zero-width spaces (except in Khmer, Lao, Thai, Burmese), byte-order marks or U+FFFD in a translation, and no direction controls in a left-to-right language, unless the source has them.")
def check_invisible_characters(message: Message) -> Iterator[Problem]:
    pattern = _INVISIBLE_RTL if message.language.is_rtl else _INVISIBLE_LTR
    spaces_by_zero_width = message.language.script in ZERO_WIDTH_SPACE_SCRIPTS
    for form in message.forms:
        if form.translation.isascii() and form.translation.isprintable():
            continue
        found = pattern.findall(form.translation)
        for ch in dict.fromkeys(found):
            if ch in form.source or (ch == "\u200b" and spaces_by_zero_width):
                continue
            why = _WHY.get(ch, "invisible to translators and readers")
            yield form.problem(f"contains {char(ch)}: {why}")


TATWEEL = "\u0640"
# A tatweel inside a word stretches it (kashida); after a one-letter prefix before a
# number, a placeholder or a foreign word (بـ %s, لـ {name}) it is orthography.
_KASHIDA = lazy(r"\u0640+(?=[\p{Arabic}&&\p{L}])", v1=True)


@check("kashida", "warning", applies=lambda facts: facts.script == "Arab", languages="Arabic script (ar, fa, ur ...)", explanation= "Arabic-script text has no decorative kashida (ـ U+0640 ARABIC TATWEEL inside a word): it breaks search and copying.")
def check_kashida(message: Message) -> Iterator[Problem]:
    if message.language.script != "Arab":
        return
    for form in message.forms:
        if TATWEEL not in form.translation:
            continue
        count = len(_KASHIDA.findall(form.translation))
        if count and TATWEEL not in form.source:
            times = f" ({count} times)" if count > 1 else ""
            yield form.problem(f"{char(TATWEEL)}, a decorative stretch (kashida){times}; write the words without it")
