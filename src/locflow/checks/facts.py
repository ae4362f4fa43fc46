"""What the checks know about a language's writing, and where it comes from.

From **Babel** (CLDR), at run time: the script (``Language.script``), the
writing direction, and the number symbols, i.e. the decimal and grouping
separators of the language's numbering systems (``1 000,5`` in Russian and
French, ``١٬٠٠٠٫٥`` in Arabic digits), so that a separator inside a number is
never taken for punctuation or a doubled space.

From **small documented tables** here, where Babel has no data:

* :data:`QUOTES`: quotation marks, primary pair then alternate pair. They are
  CLDR's ``delimiters`` (``common/main/<lang>.xml``: quotationStart/End,
  alternateQuotationStart/End), which Babel does not import (Babel 2.19 has no
  quotation data). A language absent from the table has its quotation marks
  left alone by the ``quotes`` check.
* :data:`ARMENIAN`: Armenian punctuation, which CLDR does not describe. ։ (U+0589)
  ends a sentence; ՝ (U+055D) marks a pause; ՞ (U+055E) and ՜ (U+055C) mark a
  question or an exclamation on the stressed vowel of a word, never at the end;
  ՛ (U+055B) marks emphasis the same way; the mijaket, the colon-like dot, is
  ․ (U+2024 ONE DOT LEADER), usually typed as the Latin ``.``, which is why
  ``.`` never ends an Armenian sentence.
* :data:`ABBREVIATIONS`: common abbreviations ending in a full stop, so that
  ``Dr. Smith`` or ``т. е.`` does not count as two sentences; a single letter
  before a full stop (an initial, ``J.``, ``د.``) is always an abbreviation, and
  the year words (``г.``, ``թ.``, ``م.``) after a number may end a sentence.
* :data:`DOUBLED_WORDS`: words a language repeats on purpose (French ``vous
  vous souvenez``).
* :data:`UNINFLECTED_PLURALS`: languages where a noun after a numeral keeps one
  form (Armenian ``3 զոհ``, Turkish ``3 kurban``), so identical plural forms are
  right there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..languages import Language

# CLDR delimiters: (quotationStart, quotationEnd, alternateQuotationStart, alternateQuotationEnd).
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"),
    "hy": ("«", "»", "«", "»"),
    "ru": ("«", "»", "„", "“"),
    "uk": ("«", "»", "„", "“"),
    "be": ("«", "»", "„", "“"),
    "bg": ("„", "“", "„", "“"),
    "fr": ("«", "»", "“", "”"),
    "es": ("«", "»", "“", "”"),
    "it": ("«", "»", "“", "”"),
    "pt": ("“", "”", "‘", "’"),
    "pt_PT": ("«", "»", "“", "”"),
    "de": ("„", "“", "‚", "‘"),
    "pl": ("„", "”", "«", "»"),
    "cs": ("„", "“", "‚", "‘"),
    "el": ("«", "»", "“", "”"),
    "ka": ("„", "“", "«", "»"),
    "fa": ("«", "»", "‹", "›"),
    "tr": ("“", "”", "‘", "’"),
    "zh": ("“", "”", "‘", "’"),
}

# Armenian punctuation (no CLDR data): name -> character.
ARMENIAN = {
    "full stop (verjaket)": "\u0589",  # ։ ends a sentence
    "pause (but)": "\u055d",  # ՝
    "question mark (hartsakan)": "\u055e",  # ՞ on the stressed vowel
    "exclamation mark (batsakanchakan)": "\u055c",  # ՜ on the stressed vowel
    "emphasis mark (shesht)": "\u055b",  # ՛ on the stressed vowel
    "mijaket": "\u2024",  # ․ the colon-like dot, usually typed as "."
    "apostrophe": "\u055a",  # ՚
    "hyphen (entamna)": "\u058a",  # ֊
}
ARMENIAN_FULL_STOP = ARMENIAN["full stop (verjaket)"]
ARMENIAN_WORD_MARKS = "\u055e\u055c\u055b"  # ՞ ՜ ՛: on a word, after its stressed vowel

# Abbreviations that end with a full stop and do not end a sentence (lower case, without the dot).
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset("mr mrs ms dr prof st mt jr sr gen col lt sgt capt cmdr gov sen rep rev hon pres vs no nos fig"
                    " approx dept est jan feb mar apr jun jul aug sep sept oct nov dec".split()),
    "ru": frozenset("г гг ул им пр проф акад ген т тт см стр тыс млн млрд руб долл ст св о р обл пос с д ок".split()),
    "uk": frozenset("р рр вул ім пр проф акад т тис млн млрд грн с д ст св".split()),
    "fr": frozenset("m mm dr pr me st ste p pp av apr env cf ex vol chap art ch".split()),
    "es": frozenset("sr sra srta dr dra d dña ud uds pág núm art av gral".split()),
    "de": frozenset("hr fr dr prof nr bzw ca vgl str".split()),
    "hy": frozenset("թ թթ պրն տկն դ էջ".split()),
    "ar": frozenset("د م هـ ص ج ق".split()),
}
# Year words: after a number, "1990 г. Тогда" ends a sentence ("г. Баку", the city, does not).
YEAR_WORDS = frozenset({"г", "гг", "р", "рр", "թ", "թթ", "م", "هـ"})

DOUBLED_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"vous", "nous"}),  # reflexive: vous vous souvenez, nous nous battons
    "de": frozenset({"die", "der", "das"}),  # article + relative pronoun: die, die kamen
    "nl": frozenset({"je", "dat", "die"}),  # kun je je aanmelden; dat dat klopt
    "gl": frozenset({"se"}),  # se se marca: "if" + reflexive
    "pt": frozenset({"se"}),
    "ga": frozenset({"do"}),  # do do: "to your"
    "tr": frozenset({"tek"}),
    "sq": frozenset({"të"}),
    "hi": frozenset({"कर"}),
    "vi": frozenset({"*"}),  # reduplication is grammar in Vietnamese: not checked
}

# Scripts written without spaces between words use U+200B ZERO WIDTH SPACE to mark where a line may break.
ZERO_WIDTH_SPACE_SCRIPTS = frozenset({"Khmr", "Laoo", "Thai", "Mymr", "Tibt"})

UNINFLECTED_PLURALS = frozenset({"hy", "tr", "az", "hu", "fa", "ka", "kk", "ky", "uz", "tk", "tt", "ba", "mn", "ja", "zh", "ko"})

# Scripts whose letters have upper and lower case.
CASED_SCRIPTS = frozenset({"Latn", "Cyrl", "Armn", "Grek"})

# Where a sentence may end, by language (the default: . ! ? …); what follows decides.
SENTENCE_ENDS: dict[str, str] = {
    "hy": "\u0589!?…",  # ։ ; "." is the mijaket, never the end of a sentence
    "ar": ".!؟…",
    "fa": ".!؟…",
    "ur": ".!؟…۔",
    "el": ".!;…",
    "hi": "।!?…",
    "zh": "。！？",
    "ja": "。！？",
}
# Languages written without spaces between sentences, or without sentence punctuation.
UNSPACED = frozenset({"zh", "ja"})
NO_SENTENCE_MARKS = frozenset({"th", "lo", "km", "my"})


@dataclass(frozen=True, eq=False)
class Facts:
    """A language's writing, as the checks use it (one object per language: :func:`facts`
    caches them, so they compare and hash by identity, which costs nothing in a cache key)."""

    code: str
    base: str
    script: str | None
    rtl: bool
    cased: bool
    quotes: tuple[str, str, str, str] | None
    decimal: frozenset[str]  # decimal separators of its numbering systems (Babel)
    group: frozenset[str]  # grouping separators (Babel): "," "." U+00A0 U+202F "'" ...
    abbreviations: frozenset[str]
    sentence_ends: str
    doubled_words: frozenset[str]
    uninflected_plurals: bool

    def table(self, data: dict):
        return data.get(self.code, data.get(self.base))

    @property
    def quote_pairs(self) -> list[tuple[str, str]]:
        """The language's quotation pairs, primary first (a pair listed once)."""
        if not self.quotes:
            return []
        pairs = [(self.quotes[0], self.quotes[1]), (self.quotes[2], self.quotes[3])]
        return list(dict.fromkeys(pairs))

    @property
    def quote_marks(self) -> str:
        return "".join(dict.fromkeys("".join(self.quotes))) if self.quotes else ""


@lru_cache(maxsize=None)
def facts(language: Language) -> Facts:
    code = language.code
    base = code.split("_")[0]
    decimal, group = _number_symbols(language)
    script = language.script
    return Facts(
        code=code,
        base=base,
        script=script,
        rtl=language.is_rtl,
        cased=script in CASED_SCRIPTS,
        quotes=QUOTES.get(code) or QUOTES.get(base),
        decimal=decimal,
        group=group,
        abbreviations=ABBREVIATIONS.get(code) or ABBREVIATIONS.get(base) or frozenset(),
        sentence_ends=SENTENCE_ENDS.get(code) or SENTENCE_ENDS.get(base) or ".!?…",
        doubled_words=DOUBLED_WORDS.get(code) or DOUBLED_WORDS.get(base) or frozenset(),
        uninflected_plurals=base in UNINFLECTED_PLURALS,
    )


def _number_symbols(language: Language) -> tuple[frozenset[str], frozenset[str]]:
    """Decimal and grouping separators of the language's Latin digits, its default and
    native numbering systems (Babel's CLDR number symbols)."""
    try:
        locale = language.babel_locale
        symbols = locale.number_symbols
        systems = {"latn", locale.default_numbering_system, *locale.other_numbering_systems.values()}
    except Exception:  # a pseudo-locale or a locale without number data: Latin defaults
        return frozenset({"."}), frozenset({","})
    decimal, group = set(), set()
    for system in systems:
        data = symbols.get(system) or {}
        if data.get("decimal"):
            decimal.add(data["decimal"])
        if data.get("group"):
            group.add(data["group"])
    return frozenset(decimal or {"."}), frozenset(group or {","})
