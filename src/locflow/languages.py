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


@lru_cache(maxsize=None)
def get_language(code: str) -> Language:
    """Look a language up in Babel; raises :class:`LanguageError` if unknown."""
    normalized = normalize_code(code)
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
    )


def _plural_rule(locale: Locale, code: str) -> tuple[int, str]:
    """gettext's (nplurals, expression) for a locale, following CLDR.

    CLDR decides how many forms there are (the categories a whole number below
    a million can take) and their order (zero, one, two, few, many, other).
    Babel's gettext table supplies the familiar expression where it agrees with
    CLDR on every number; otherwise the expression is compiled from the CLDR
    rule (Armenian has two forms where the old table says one, and the table's
    Arabic rule numbers its forms differently from CLDR).
    """
    rule = locale.plural_form
    categories = [rule(n) for n in _INTEGER_SAMPLE]  # evaluated once: this runs at every start-up
    used = [tag for tag in _CLDR_ORDER if tag in set(categories)]
    index = {tag: i for i, tag in enumerate(used)}
    expected = [index[category] for category in categories]
    for key in (code, locale.language):
        if key in PLURALS and PLURALS[key][0] == len(used):
            table_expr = PLURALS[key][1]
            table_rule = c2py(table_expr)  # compiled once: this runs at every start-up
            if [table_rule(n) for n in _INTEGER_SAMPLE] == expected:
                return len(used), table_expr
    if len(used) == 1:
        return 1, "0"
    match = re.match(r"nplurals=(\d+); plural=(.*);$", to_gettext(rule))
    assert match, rule
    # to_gettext numbers every CLDR category, including those only decimals
    # reach (Russian "other"); the result is still a valid gettext rule.
    return int(match.group(1)), match.group(2)


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
    locale = Locale.parse(get_language(code).code)
    if has_year:
        return format_date(date, format="long", locale=locale)
    return format_skeleton("MMMd", date, locale=locale)
