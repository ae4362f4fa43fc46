"""Plural-Forms: gettext's conventional table, kept as data.

A catalog's ``Plural-Forms`` header is the one thing about a language that
does not come from Babel at run time. It follows the formulas the gettext
tools write (GNU gettext's msginit, translate-toolkit, Weblate), so that a new
catalog agrees with the catalogs already committed and with every tool a
translator opens it in, and so that it never changes because Babel was
upgraded (Babel 2.18+ gives French, Spanish, Italian and Portuguese a third
CLDR form for millions).

Where the formula comes from, in order: GNU gettext's own table (what msginit
writes); otherwise the formula translate-toolkit and Weblate both use; where
those two disagree, the one that agrees with CLDR on whole numbers. Every
formula is tested against Babel's CLDR rule (tests/test_plurals.py); the
deliberate differences are listed, with their reason, in
:data:`KNOWN_DIFFERENCES`. docs/plurals.md explains it for users.

A language absent from the table gets a rule derived from CLDR
(:func:`cldr_rule`), and a site may override any language in its settings
(``[tool.locflow.plural-forms]``, checked by :func:`plural_rule`).
"""

from __future__ import annotations

import re
from gettext import c2py

from .errors import LanguageError

# gettext language code -> (nplurals, plural expression), written as gettext writes them.
PLURAL_FORMS: dict[str, tuple[int, str]] = {
    "af": (2, "(n != 1)"),  # Afrikaans
    "ak": (2, "(n > 1)"),  # Akan
    "am": (2, "(n > 1)"),  # Amharic
    "an": (2, "(n != 1)"),  # Aragonese
    "ar": (6, "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"),  # Arabic
    "as": (2, "(n > 1)"),  # Assamese
    "ast": (2, "(n != 1)"),  # Asturian
    "az": (2, "(n != 1)"),  # Azerbaijani
    "ba": (2, "(n != 1)"),  # Bashkir
    "be": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Belarusian
    "bg": (2, "(n != 1)"),  # Bulgarian
    "bn": (2, "(n > 1)"),  # Bengali
    "bo": (1, "0"),  # Tibetan
    "br": (  # Breton
        5,
        "(n%10==1 && n%100!=11 && n%100!=71 && n%100!=91 ? 0"
        " : n%10==2 && n%100!=12 && n%100!=72 && n%100!=92 ? 1"
        " : (n%10==3 || n%10==4 || n%10==9) && (n%100<10 || n%100>19) && (n%100<70 || n%100>79)"
        " && (n%100<90 || n%100>99) ? 2"
        " : n!=0 && n%1000000==0 ? 3 : 4)",
    ),
    "brx": (2, "(n != 1)"),  # Bodo
    "bs": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Bosnian
    "ca": (2, "(n != 1)"),  # Catalan
    "ce": (2, "(n != 1)"),  # Chechen
    "cgg": (2, "(n != 1)"),  # Chiga
    "ckb": (2, "(n != 1)"),  # Central Kurdish (Sorani)
    "cs": (3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"),  # Czech
    "cv": (3, "(n==0 ? 0 : n==1 ? 1 : 2)"),  # Chuvash
    "cy": (6, "(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5"),  # Welsh
    "da": (2, "(n != 1)"),  # Danish
    "de": (2, "(n != 1)"),  # German
    "doi": (2, "(n > 1)"),  # Dogri
    "dsb": (4, "(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)"),  # Lower Sorbian
    "dz": (1, "0"),  # Dzongkha
    "el": (2, "(n != 1)"),  # Greek
    "en": (2, "(n != 1)"),  # English
    "eo": (2, "(n != 1)"),  # Esperanto
    "es": (2, "(n != 1)"),  # Spanish
    "et": (2, "(n != 1)"),  # Estonian
    "eu": (2, "(n != 1)"),  # Basque
    "fa": (2, "(n > 1)"),  # Persian
    "ff": (2, "(n > 1)"),  # Fula
    "fi": (2, "(n != 1)"),  # Finnish
    "fil": (2, "(n!=1 && n!=2 && n!=3 && (n%10==4 || n%10==6 || n%10==9))"),  # Filipino
    "fo": (2, "(n != 1)"),  # Faroese
    "fr": (2, "(n > 1)"),  # French
    "fur": (2, "(n != 1)"),  # Friulian
    "fy": (2, "(n != 1)"),  # Western Frisian
    "ga": (3, "n==1 ? 0 : n==2 ? 1 : 2"),  # Irish
    "gd": (4, "(n==1 || n==11) ? 0 : (n==2 || n==12) ? 1 : (n > 2 && n < 20) ? 2 : 3"),  # Scottish Gaelic
    "gl": (2, "(n != 1)"),  # Galician
    "gu": (2, "(n > 1)"),  # Gujarati
    "ha": (2, "(n != 1)"),  # Hausa
    "he": (2, "(n != 1)"),  # Hebrew
    "hi": (2, "(n > 1)"),  # Hindi
    "hr": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Croatian
    "hsb": (4, "(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)"),  # Upper Sorbian
    "ht": (2, "(n != 1)"),  # Haitian Creole
    "hu": (2, "(n != 1)"),  # Hungarian
    "hy": (2, "(n > 1)"),  # Armenian
    "ia": (2, "(n != 1)"),  # Interlingua
    "id": (1, "0"),  # Indonesian
    "ig": (1, "0"),  # Igbo
    "is": (2, "(n%10!=1 || n%100==11)"),  # Icelandic
    "it": (2, "(n != 1)"),  # Italian
    "ja": (1, "0"),  # Japanese
    "jv": (1, "0"),  # Javanese
    "ka": (2, "(n != 1)"),  # Georgian
    "kab": (2, "(n > 1)"),  # Kabyle
    "kk": (2, "(n != 1)"),  # Kazakh
    "kl": (2, "(n != 1)"),  # Greenlandic
    "km": (1, "0"),  # Khmer
    "kn": (2, "(n > 1)"),  # Kannada
    "ko": (1, "0"),  # Korean
    "kok": (2, "(n > 1)"),  # Konkani
    "ks": (2, "(n != 1)"),  # Kashmiri
    "ksh": (3, "(n==0 ? 0 : n==1 ? 1 : 2)"),  # Colognian
    "ku": (2, "(n != 1)"),  # Kurdish
    "ky": (2, "(n != 1)"),  # Kyrgyz
    "lb": (2, "(n != 1)"),  # Luxembourgish
    "ln": (2, "(n > 1)"),  # Lingala
    "lo": (1, "0"),  # Lao
    "lt": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Lithuanian
    "lv": (3, "(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)"),  # Latvian
    "mai": (2, "(n != 1)"),  # Maithili
    "mg": (2, "(n > 1)"),  # Malagasy
    "mi": (2, "(n > 1)"),  # Maori
    "mk": (2, "(n==1 || n%10==1 ? 0 : 1)"),  # Macedonian
    "ml": (2, "(n != 1)"),  # Malayalam
    "mn": (2, "(n != 1)"),  # Mongolian
    "mni": (2, "(n != 1)"),  # Manipuri
    "mr": (2, "(n != 1)"),  # Marathi
    "ms": (1, "0"),  # Malay
    "mt": (4, "(n==1 ? 0 : n==0 || (n%100>1 && n%100<11) ? 1 : (n%100>10 && n%100<20) ? 2 : 3)"),  # Maltese
    "my": (1, "0"),  # Burmese
    "nb": (2, "(n != 1)"),  # Norwegian Bokmål
    "nds": (2, "(n != 1)"),  # Low German
    "ne": (2, "(n != 1)"),  # Nepali
    "nl": (2, "(n != 1)"),  # Dutch
    "nn": (2, "(n != 1)"),  # Norwegian Nynorsk
    "no": (2, "(n != 1)"),  # Norwegian
    "nqo": (1, "0"),  # N'Ko
    "nso": (2, "(n > 1)"),  # Northern Sotho
    "oc": (2, "(n > 1)"),  # Occitan
    "om": (2, "(n != 1)"),  # Oromo
    "or": (2, "(n != 1)"),  # Odia
    "os": (2, "(n != 1)"),  # Ossetian
    "pa": (2, "(n > 1)"),  # Punjabi
    "pap": (2, "(n != 1)"),  # Papiamento
    "pl": (3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Polish
    "pms": (2, "(n != 1)"),  # Piedmontese
    "ps": (2, "(n != 1)"),  # Pashto
    "pt": (2, "(n != 1)"),  # Portuguese (European)
    "pt_BR": (2, "(n > 1)"),  # Portuguese (Brazil)
    "rm": (2, "(n != 1)"),  # Romansh
    "ro": (3, "n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2"),  # Romanian
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Russian
    "rw": (2, "(n != 1)"),  # Kinyarwanda
    "sa": (3, "(n==1 ? 0 : n==2 ? 1 : 2)"),  # Sanskrit
    "sah": (1, "0"),  # Yakut
    "sat": (3, "(n==1 ? 0 : n==2 ? 1 : 2)"),  # Santali
    "sc": (2, "(n != 1)"),  # Sardinian
    "sd": (2, "(n != 1)"),  # Sindhi
    "se": (3, "(n==1 ? 0 : n==2 ? 1 : 2)"),  # Northern Sami
    "si": (2, "(n > 1)"),  # Sinhala
    "sk": (3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"),  # Slovak
    "sl": (4, "(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)"),  # Slovenian
    "so": (2, "(n != 1)"),  # Somali
    "sq": (2, "(n != 1)"),  # Albanian
    "sr": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Serbian
    "st": (2, "(n != 1)"),  # Southern Sotho
    "su": (1, "0"),  # Sundanese
    "sv": (2, "(n != 1)"),  # Swedish
    "sw": (2, "(n != 1)"),  # Swahili
    "szl": (3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Silesian
    "ta": (2, "(n != 1)"),  # Tamil
    "te": (2, "(n != 1)"),  # Telugu
    "tg": (2, "(n > 1)"),  # Tajik
    "th": (1, "0"),  # Thai
    "ti": (2, "(n > 1)"),  # Tigrinya
    "tk": (2, "(n != 1)"),  # Turkmen
    "tl": (2, "(n!=1 && n!=2 && n!=3 && (n%10==4 || n%10==6 || n%10==9))"),  # Tagalog
    "tn": (2, "(n != 1)"),  # Tswana
    "tr": (2, "(n != 1)"),  # Turkish
    "ts": (2, "(n != 1)"),  # Tsonga
    "tt": (1, "0"),  # Tatar
    "ug": (2, "(n != 1)"),  # Uyghur
    "uk": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),  # Ukrainian
    "ur": (2, "(n != 1)"),  # Urdu
    "uz": (2, "(n != 1)"),  # Uzbek
    "ve": (2, "(n != 1)"),  # Venda
    "vi": (1, "0"),  # Vietnamese
    "wa": (2, "(n > 1)"),  # Walloon
    "wo": (1, "0"),  # Wolof
    "xh": (2, "(n != 1)"),  # Xhosa
    "yi": (2, "(n != 1)"),  # Yiddish
    "yo": (1, "0"),  # Yoruba
    "yue": (1, "0"),  # Cantonese
    "zh": (1, "0"),  # Chinese (zh_CN, zh_TW, zh_Hans, zh_Hant ...)
    "zu": (2, "(n > 1)"),  # Zulu
}

# Entries that do not split whole numbers exactly as CLDR does (as the installed
# Babel has it), on purpose. The tests check every other entry against
# CLDR, and check that every entry here really differs, so the list stays true.
_MILLIONS = (
    "CLDR's 'many' category, used only for exact millions ('1 million de'), is left out, "
    "as gettext's table and every gettext tool leave it out"
)
_NO_CLDR_RULE = "CLDR has no plural rule for this language (Babel puts every number in 'other'); gettext catalogs use "
KNOWN_DIFFERENCES: dict[str, str] = {
    "ca": _MILLIONS,
    "es": _MILLIONS,
    "fr": _MILLIONS,
    "gl": _MILLIONS,
    "it": _MILLIONS,
    "pt": (
        "msginit's European Portuguese rule (1 is singular, 0 plural); CLDR's 'pt' is Brazilian "
        "Portuguese (0 and 1 singular, as pt_BR here). " + _MILLIONS
    ),
    "pt_BR": _MILLIONS,
    "he": (
        "two forms, as msginit and translate-toolkit write them: CLDR's dual 'two' (n = 2) is "
        "merged with the plural"
    ),
    "ga": (
        "msginit's three forms (1, 2, other): CLDR's 'few' (3-6) and 'many' (7-10) are merged "
        "with the plural"
    ),
    "lv": (
        "msginit's rule: its third form is for 0 only, where CLDR's 'zero' category also holds "
        "10-20, 30, 40 ...; the singular form is the same"
    ),
    "mk": (
        "the conventional formula puts every number ending in 1 (11, 111 ...) in the singular; "
        "CLDR excludes those ending in 11"
    ),
    "mt": (
        "the conventional four forms: recent CLDR gives 2 a 'two' category of its own, which "
        "the conventional formula keeps with 0 and 3-10"
    ),
    "vi": (
        "one form, as msginit writes: recent CLDR gives 0 and 1 a 'one' category, which "
        "Vietnamese catalogs do not use"
    ),
    "ba": _NO_CLDR_RULE + "two forms",
    "ht": _NO_CLDR_RULE + "two forms",
    "mai": _NO_CLDR_RULE + "two forms",
    "mi": _NO_CLDR_RULE + "two forms",
    "mni": _NO_CLDR_RULE + "two forms",
    "nds": _NO_CLDR_RULE + "two forms",
    "oc": _NO_CLDR_RULE + "two forms",
    "pms": _NO_CLDR_RULE + "two forms",
    "rw": _NO_CLDR_RULE + "two forms",
    "sa": _NO_CLDR_RULE + "three forms (1, 2, other)",
    "szl": _NO_CLDR_RULE + "Polish's three forms",
}


def _lookup_keys(code: str) -> list[str]:
    """Table keys to try for ``code``, most specific first: ``pt_BR`` → pt_BR, pt.

    A modifier or charset (``sr@latin``, ``de_DE.UTF-8``) is dropped; a script
    (``zh_Hans``, ``sr_Latn``) is tried with the language, then skipped.
    """
    base = code.split("@", 1)[0].split(".", 1)[0]
    parts = [part for part in re.split(r"[-_]", base) if part]
    if not parts:
        return []
    language = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    territory = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha() or len(p) == 3 and p.isdigit()), None)
    keys = []
    if script and territory:
        keys.append(f"{language}_{script}_{territory}")
    if script:
        keys.append(f"{language}_{script}")
    if territory:
        keys.append(f"{language}_{territory}")
    keys.append(language)
    return keys


def conventional(code: str) -> tuple[int, str] | None:
    """gettext's conventional ``(nplurals, expression)`` for ``code``, or None if the table lacks it.

    ``pt_BR`` has its own entry; ``pt_PT``, ``zh_TW``, ``zh_Hans`` and
    ``sr@latin`` take their language's (``pt``, ``zh``, ``sr``).
    """
    for key in _lookup_keys(code):
        if key in PLURAL_FORMS:
            return PLURAL_FORMS[key]
    return None


# ---------------------------------------------------------------------------
# Rules derived from CLDR: for languages the table lacks, and for a site that
# asks for CLDR's rule ("cldr" in [tool.locflow.plural-forms]).
# ---------------------------------------------------------------------------

# gettext counts are whole numbers; CLDR categories used only by decimals or by
# numbers of a million and more are not reached by this sample.
_INTEGER_SAMPLE = range(0, 1000)
_CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


def cldr_rule(code: str) -> tuple[int, str]:
    """gettext's ``(nplurals, expression)`` for a language, following Babel's CLDR data.

    CLDR decides how many forms there are (the categories a whole number below
    a thousand takes) and their order (zero, one, two, few, many, other).
    The expression is, in order of preference:

    1. Babel's gettext table, where it agrees with CLDR on every sampled number;
    2. the CLDR rule compiled to C;
    3. Babel's table, where CLDR's compiled rule has forms only numbers of a
       million and more reach;
    4. the compiled CLDR rule, whatever its count.

    Every candidate must compile as a gettext expression: ``msgfmt --check``
    and Python's ``gettext`` reject what does not. This samples a thousand
    numbers: it runs only for a language the table lacks, or when asked.
    """
    from babel import Locale, UnknownLocaleError
    from babel.messages.plurals import PLURALS
    from babel.plural import to_gettext

    try:
        locale = Locale.parse(code.split("@", 1)[0].replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise LanguageError(f"unknown language code {code!r}: Babel has no locale data for it") from exc
    rule = locale.plural_form
    categories = [rule(n) for n in _INTEGER_SAMPLE]
    used = [tag for tag in _CLDR_ORDER if tag in set(categories)]
    index = {tag: i for i, tag in enumerate(used)}
    expected = [index[category] for category in categories]
    table = next((PLURALS[key] for key in (str(locale), locale.language) if key in PLURALS), None)
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
    except (ValueError, SyntaxError, NameError, TypeError, ZeroDivisionError, RecursionError):
        return None
    return values if all(isinstance(v, int) and 0 <= v < nplurals for v in values) else None


# ---------------------------------------------------------------------------
# A site's own choice: [tool.locflow.plural-forms] ru = "cldr" or "nplurals=...".
# ---------------------------------------------------------------------------

_HEADER = re.compile(r"^nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?$", re.DOTALL)
# The numbers an override is evaluated on: what msgfmt --check tries, and more.
_CHECK_SAMPLE = (*range(0, 2000), 10_000, 100_000, 1_000_000, 2_000_000, 10_000_000, 1_000_000_000)


def plural_rule(code: str, override: str | None = None) -> tuple[int, str]:
    """``(nplurals, expression)`` for ``code``: the site's override, else the table, else CLDR.

    ``override`` is the site's setting for the language: ``"cldr"`` for the
    rule derived from Babel's CLDR data, or a ``Plural-Forms`` value such as
    ``"nplurals=2; plural=(n != 1);"``. A value that does not parse, does not
    compile as a gettext expression or picks a form outside ``0 .. nplurals-1``
    raises :class:`LanguageError` with a one-line message.
    """
    if override is None:
        return conventional(code) or cldr_rule(code)
    if not isinstance(override, str):
        raise LanguageError(f'expected "cldr" or "nplurals=N; plural=EXPRESSION;", got {override!r}')
    text = override.strip()
    if text.lower() == "cldr":
        return cldr_rule(code)
    match = _HEADER.match(text)
    if match is None:
        raise LanguageError(f'expected "cldr" or "nplurals=N; plural=EXPRESSION;", got {override!r}')
    nplurals, expr = int(match.group(1)), " ".join(match.group(2).split())
    if nplurals < 1:
        raise LanguageError(f"nplurals must be 1 or more, got {nplurals}")
    try:
        plural = c2py(expr)
    except (ValueError, SyntaxError, RecursionError) as exc:
        raise LanguageError(f"plural={expr} is not a valid gettext expression ({exc})") from None
    for n in _CHECK_SAMPLE:
        try:
            value = plural(n)
        except (ZeroDivisionError, RecursionError, TypeError) as exc:
            raise LanguageError(f"plural={expr} fails for n={n} ({exc})") from None
        if not 0 <= value < nplurals:
            raise LanguageError(f"plural={expr} gives {value} for n={n}, outside 0..{nplurals - 1} (nplurals={nplurals})")
    return nplurals, expr
