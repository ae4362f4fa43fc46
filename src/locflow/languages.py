"""Facts about a language, all taken from Babel's CLDR data.

Nothing here is a hand-written table: display names, the plural rule, the
script and the writing direction come from Babel, so a new language is a new
code in the settings and nothing else.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from gettext import c2py

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.messages.plurals import PLURALS
from babel.plural import to_gettext

from .errors import LanguageError

_CODE_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")

# gettext counts are whole numbers; CLDR categories used only by decimals or by
# numbers of a million and more (French and Spanish "many": "1 million de")
# are not part of the catalog's plural forms, as in GNU gettext's own tables.
_INTEGER_SAMPLE = range(0, 1000)
_CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True)
class Language:
    """A target or source language, identified by its gettext code (``pt_BR``)."""

    code: str
    english_name: str
    native_name: str
    nplurals: int
    plural_expr: str
    script: str | None
    direction: str
    # Pseudo-locales (en_XA, ar_XB) are test locales with no CLDR data of their
    # own: ``locale_code`` is the Babel locale their dates and plurals come from.
    pseudo: bool = False
    locale_code: str = ""

    @property
    def babel_locale(self) -> Locale:
        """The Babel locale for this language's dates and names (the base locale of a pseudo-locale)."""
        return Locale.parse(self.locale_code or self.code)

    @property
    def plural_forms(self) -> str:
        """The value of the ``Plural-Forms`` header."""
        return f"nplurals={self.nplurals}; plural={self.plural_expr};"

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def bcp47(self) -> str:
        """The tag for HTML ``lang`` and ``hreflang`` (``pt-BR``)."""
        return self.code.replace("_", "-")


def normalize_code(code: str) -> str:
    """``pt-br`` → ``pt_BR``; raises :class:`LanguageError` for a malformed code."""
    if not isinstance(code, str) or not _CODE_SHAPE.match(code):
        raise LanguageError(f"malformed language code {code!r} (expected e.g. 'hy', 'ru', 'pt_BR')")
    parts = re.split(r"[_-]", code)
    head = parts[0].lower()
    rest = []
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            rest.append(part.title())  # script: Latn, Cyrl
        elif len(part) in (2, 3):
            rest.append(part.upper())  # territory: BR, 419
        else:
            rest.append(part)
    return "_".join([head, *rest])


# Pseudo-locales, as Android and Chrome name them: test locales whose "translations"
# are generated from the source text (drafts/pseudo.py) so a site build shows every
# untranslated or hard-coded string. CLDR has no data for them; each borrows the
# data of a base locale. Values: (base locale, English name, direction).
PSEUDO_LOCALES: dict[str, tuple[str, str, str]] = {
    "en_XA": ("en", "English (pseudo-accented)", "ltr"),
    "ar_XB": ("en", "Pseudo-bidi (right to left)", "rtl"),
}


def is_pseudo(code: str) -> bool:
    """Whether ``code`` names a pseudo-locale (``en-XA``, ``ar_XB``)."""
    try:
        return normalize_code(code) in PSEUDO_LOCALES
    except LanguageError:
        return False


@lru_cache(maxsize=None)
def get_language(code: str) -> Language:
    """Look a language up in Babel; raises :class:`LanguageError` if unknown."""
    normalized = normalize_code(code)
    if normalized in PSEUDO_LOCALES:
        return _pseudo_language(normalized)
    try:
        locale = Locale.parse(normalized)
    except (UnknownLocaleError, ValueError) as exc:
        raise LanguageError(f"unknown language code {code!r}: Babel has no locale data for it") from exc
    nplurals, expr = _plural_rule(locale, normalized)
    return Language(
        code=normalized,
        english_name=locale.get_display_name("en") or normalized,
        native_name=locale.get_display_name(locale) or normalized,
        nplurals=nplurals,
        plural_expr=expr,
        script=_script(locale, normalized),
        direction=locale.text_direction or "ltr",
        locale_code=normalized,
    )


def _pseudo_language(code: str) -> Language:
    base_code, name, direction = PSEUDO_LOCALES[code]
    base = get_language(base_code)
    return Language(
        code=code,
        english_name=name,
        native_name=name,
        nplurals=base.nplurals,
        plural_expr=base.plural_expr,
        script=base.script,
        direction=direction,
        pseudo=True,
        locale_code=base.code,
    )


def _plural_rule(locale: Locale, code: str) -> tuple[int, str]:
    """gettext's (nplurals, expression) for a locale, following CLDR.

    CLDR decides how many forms there are (the categories a whole number below
    a million can take) and their order (zero, one, two, few, many, other).
    The expression is, in order of preference:

    1. Babel's gettext table, where it agrees with CLDR on every number;
    2. the CLDR rule compiled to C (Armenian has two forms where the old table
       says one; the table numbers Arabic's forms differently from CLDR);
    3. the table's, where CLDR's compiled rule has forms only numbers of a
       million and more reach (Portuguese: the table's ``n != 1``);
    4. the compiled CLDR rule, whatever its count.

    Every candidate must compile as a gettext expression: ``msgfmt --check``
    and Python's ``gettext`` reject what does not.
    """
    rule = locale.plural_form
    categories = [rule(n) for n in _INTEGER_SAMPLE]  # evaluated once: this runs at every start-up
    used = [tag for tag in _CLDR_ORDER if tag in set(categories)]
    index = {tag: i for i, tag in enumerate(used)}
    expected = [index[category] for category in categories]
    table = next((PLURALS[key] for key in (code, locale.language) if key in PLURALS), None)
    if table is not None and table[0] == len(used) and _evaluates(table[1], table[0]) == expected:
        return table[0], table[1]
    if len(used) == 1:
        return 1, "0"
    match = re.match(r"nplurals=(\d+); plural=(.*);$", to_gettext(rule))
    assert match, rule
    # Integers have no exponent: CLDR's compact-number operand e is 0 for them.
    compiled = (int(match.group(1)), re.sub(r"\be\b", "0", match.group(2)))
    if compiled[0] == len(used) and _evaluates(compiled[1], compiled[0]) is not None:
        return compiled
    if table is not None and table[0] == len(used) and _evaluates(table[1], table[0]) is not None:
        return table[0], table[1]
    if _evaluates(compiled[1], compiled[0]) is not None:
        return compiled
    raise LanguageError(f"no valid gettext plural rule can be made from Babel's data for {code!r}")


def _evaluates(expr: str, nplurals: int) -> list[int] | None:
    """The forms ``expr`` picks for the sample numbers, or None if it is not a valid rule."""
    try:
        plural = c2py(expr)
        values = [plural(n) for n in _INTEGER_SAMPLE]
    except (ValueError, SyntaxError, NameError, ZeroDivisionError, RecursionError):
        return None
    return values if all(0 <= value < nplurals for value in values) else None


def _script(locale: Locale, code: str) -> str | None:
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    for key in (code, locale.language):
        full = likely.get(key)
        if full:
            parts = full.split("_")
            for part in parts[1:]:
                if len(part) == 4:
                    return part
    return None


# ---------------------------------------------------------------------------
# Dates written in articles ("Updated: Jan 12"), re-written in each language.
# ---------------------------------------------------------------------------

_DATE_FORMATS = [
    ("%Y-%m-%d", True),
    ("%B %d, %Y", True),
    ("%b %d, %Y", True),
    ("%d %B %Y", True),
    ("%d %b %Y", True),
    ("%B %d", False),
    ("%b %d", False),
]


def parse_source_date(text: str) -> tuple[_dt.date, bool] | None:
    """Parse an English date as articles write it; ``(date, has_year)`` or None."""
    cleaned = re.sub(r"\s+", " ", text.strip().rstrip("."))
    for fmt, has_year in _DATE_FORMATS:
        try:
            # 2000 is a leap year, so "Feb 29" without a year parses too.
            parsed = _dt.datetime.strptime(cleaned if has_year else f"{cleaned} 2000", fmt if has_year else f"{fmt} %Y")
        except ValueError:
            continue
        return parsed.date(), has_year
    return None


def localize_date(text: str, code: str) -> str | None:
    """Write a source-language date the way ``code`` writes dates, or None if unparseable."""
    parsed = parse_source_date(text)
    if parsed is None:
        return None
    date, has_year = parsed
    locale = get_language(code).babel_locale
    if has_year:
        return format_date(date, format="long", locale=locale)
    return format_skeleton("MMMd", date, locale=locale)
