"""Facts about a language: names, script and direction from Babel's CLDR data,
plural forms from gettext's conventional table (plurals.py).

Display names, the script and the writing direction come from Babel, so a new
language is a new code in the settings and nothing else. The plural rule is
the exception: it is gettext's (``fr`` is ``(n > 1)`` whatever Babel says), and
only a language the table lacks gets a rule derived from CLDR.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .errors import LanguageError
from .plurals import plural_rule

_CODE_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Language:
    """A target or source language, identified by its gettext code (``pt_BR``).

    Its names and writing direction come from the locale's CLDR data, which
    Babel loads only when they are first asked for (a command that does not
    show a language's name does not pay for reading its data)."""

    code: str
    nplurals: int
    plural_expr: str
    script: str | None
    # Pseudo-locales (en_XA, ar_XB) are test locales with no CLDR data of their
    # own: ``locale_code`` is the Babel locale their dates and plurals come from.
    pseudo: bool = False
    locale_code: str = ""
    # (English name, own name, direction) when they are not CLDR's (pseudo-locales).
    given: tuple[str, str, str] | None = field(default=None, compare=False)

    @cached_property
    def english_name(self) -> str:
        return self.given[0] if self.given else (self.babel_locale.get_display_name("en") or self.code)

    @cached_property
    def native_name(self) -> str:
        if self.given:
            return self.given[1]
        locale = self.babel_locale
        return locale.get_display_name(locale) or self.code

    @cached_property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return self.given[2] if self.given else (self.babel_locale.text_direction or "ltr")

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
    # gettext's table; a language the table lacks gets a rule derived from CLDR.
    nplurals, expr = plural_rule(normalized)
    return Language(
        code=normalized,
        nplurals=nplurals,
        plural_expr=expr,
        script=_script(locale, normalized),
        locale_code=normalized,
    )


def release_locale_data(keep: tuple[str, ...] = ()) -> None:
    """Forget the CLDR data Babel has loaded (about a megabyte a locale, kept for
    the life of the process), but that of the locales in ``keep``: for work
    that goes language by language through a hundred of them, such as checking
    a whole gettext tree. The facts taken from it (names, directions, number
    symbols) stay cached; a locale needed again is read again. Babel offers no
    call for this: its cache is cleared under its own lock, and left alone if a
    later Babel keeps it elsewhere."""
    from babel import localedata

    lock = getattr(localedata, "_cache_lock", None)
    caches = [getattr(localedata, name, None) for name in ("_cache", "_dict_cache")]
    if lock is None:
        return
    with lock:
        for cache in caches:
            if isinstance(cache, dict):
                for name in [name for name in cache if name not in keep]:
                    del cache[name]


def _pseudo_language(code: str) -> Language:
    base_code, name, direction = PSEUDO_LOCALES[code]
    base = get_language(base_code)
    return Language(
        code=code,
        nplurals=base.nplurals,
        plural_expr=base.plural_expr,
        script=base.script,
        pseudo=True,
        locale_code=base.code,
        given=(name, name, direction),
    )


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
    from babel.dates import format_date, format_skeleton

    date, has_year = parsed
    locale = get_language(code).babel_locale
    if has_year:
        return format_date(date, format="long", locale=locale)
    return format_skeleton("MMMd", date, locale=locale)
