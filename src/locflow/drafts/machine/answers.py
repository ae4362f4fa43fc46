"""What a service answered: a translation, or garbage that must never become a draft.

Refused: an HTML page, an empty answer or one without a single letter when the
source has words (``[]``, ``...``, ``123``), the source sent back unchanged, a
service's warning, a language model's refusal, and text in the wrong script for
the target language (Latin letters for Armenian, from Babel's script data).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ...languages import Language
from ..markup import strip_masks

# ISO 15924 script → the first word of the Unicode character names of its letters.
_SCRIPT_NAMES: dict[str, tuple[str, ...]] = {
    "Latn": ("LATIN",), "Cyrl": ("CYRILLIC",), "Armn": ("ARMENIAN",), "Arab": ("ARABIC",), "Grek": ("GREEK",),
    "Hebr": ("HEBREW",), "Geor": ("GEORGIAN",), "Deva": ("DEVANAGARI",), "Beng": ("BENGALI",), "Thai": ("THAI",),
    "Hans": ("CJK",), "Hant": ("CJK",), "Jpan": ("HIRAGANA", "KATAKANA", "CJK"), "Kore": ("HANGUL", "CJK"),
    "Hang": ("HANGUL",), "Ethi": ("ETHIOPIC",), "Taml": ("TAMIL",), "Telu": ("TELUGU",), "Knda": ("KANNADA",),
    "Mlym": ("MALAYALAM",), "Gujr": ("GUJARATI",), "Guru": ("GURMUKHI",), "Khmr": ("KHMER",), "Laoo": ("LAO",),
    "Mymr": ("MYANMAR",), "Sinh": ("SINHALA",), "Tibt": ("TIBETAN",), "Mong": ("MONGOLIAN",), "Thaa": ("THAANA",),
}  # fmt: skip
_HTML_PAGE = re.compile(r"<!doctype|<html|<head[\s>]|<body[\s>]|<title>|</?(?:div|script|style|meta)[\s>]", re.IGNORECASE)
_SERVICE_WARNINGS = re.compile(
    r"MYMEMORY WARNING|QUERY LENGTH LIMIT EXCEE|PLEASE SELECT TWO DISTINCT LANGUAGES|INVALID LANGUAGE PAIR|"
    r"'AUTO' IS AN INVALID SOURCE LANGUAGE|IS AN INVALID TARGET LANGUAGE"
)
# What a language model writes when it declines or talks about the task instead of doing it.
_REFUSALS = re.compile(
    r"^\W*(?:I'?m sorry|I am sorry|I apologi[sz]e|Sorry, (?:but )?I|I can(?:no|')t (?:help|assist|translate|provide|comply)|"
    r"I cannot (?:help|assist|translate|provide|comply)|I'?m (?:unable|not able) to|As an AI\b|Here is the translation|"
    r"Here's the translation|Translation:)",
    re.IGNORECASE,
)


def script_of(text: str) -> Counter:
    """How many letters of ``text`` belong to each script (first word of their Unicode name)."""
    counts: Counter = Counter()
    for char in text:
        if char.isalpha():
            counts[unicodedata.name(char, "UNKNOWN").split(" ")[0]] += 1
    return counts


def has_words(masked: str) -> bool:
    """Whether a (masked) text has anything a service could translate: a letter outside the marks."""
    return any(char.isalpha() for char in strip_masks(masked))


def garbage_reason(source_masked: str, answer_masked: str, target: Language) -> str | None:
    """Why an answer is not a translation of ``source_masked`` into ``target``, or None."""
    answer = strip_masks(answer_masked)
    if not answer.strip():
        return "empty answer"
    if _HTML_PAGE.search(answer_masked) and not _HTML_PAGE.search(source_masked):
        return "an HTML page instead of a translation"
    if _SERVICE_WARNINGS.search(answer_masked):
        return "a service message instead of a translation"
    if has_words(source_masked) and not has_words(answer_masked):
        return f"no words in the answer ({_short(answer_masked)})"
    if _REFUSALS.search(answer) and not _REFUSALS.search(strip_masks(source_masked)):
        return f"a refusal or a remark instead of a translation ({_short(answer_masked)})"

    def normal(text: str) -> str:
        return " ".join(strip_masks(text).split()).casefold()

    if normal(answer_masked) == normal(source_masked):
        return "the source text came back unchanged"
    expected = _SCRIPT_NAMES.get(target.script or "")
    letters = script_of(answer)
    total = sum(letters.values())
    if expected and total:
        share = sum(letters[name] for name in expected) / total
        if share < 0.5:
            found = letters.most_common(1)[0][0].title()
            return f"written in {found} script, not {target.script} as {target.english_name} is"
    return None


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
