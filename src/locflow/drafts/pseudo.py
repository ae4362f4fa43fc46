"""Pseudo-localization: generated "translations" that make a site build testable offline.

A pseudo-locale (``en_XA``, ``ar_XB``, as Android and Chrome name them) is a test
locale. Its text is made from the source text, so a localized build needs no
translator and no network, and every string that did not go through the
catalogs stands out in plain English:

* ``en_XA`` (pseudo-accented): letters get accents (``Baku`` → ``Ɓåķû``), the text
  is lengthened by about a third (``[tool.locflow.pseudo] expansion``, default
  0.35) with filler words, like most translations are longer than English, and
  put in brackets, so a clipped string shows it lost its end;
* ``ar_XB`` (pseudo-bidi): every word is wrapped in a right-to-left override,
  so the page is laid out right to left with readable text.

What a program or a page reads is kept byte for byte: format placeholders
(``{date}``, ``%s``, ``%(name)d``), HTML tags and entities, Markdown link
targets and code spans, URLs, and numbers (digits are never changed).
Leading and trailing white space stays outside the brackets, so msgfmt's
``--check`` (which compares the ends of msgid and msgstr) accepts the result.

Pseudo-locale catalogs are generated, not translated: :func:`fill_catalog`
writes every message, not fuzzy (there is nothing to review), and
regenerates it when its source changes. The placeholder protection here is a
small set of regular expressions local to this module; ``drafts/markup.py``
is the general one machine translation uses.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import polib

from ..errors import ConfigError
from ..languages import Language
from . import DRAFT_MARK, Draft

DEFAULT_EXPANSION = 0.35
PSEUDO_COMMENT = f"{DRAFT_MARK} pseudo-locale text generated from the source by locflow; do not translate it."

# Kept verbatim, tried in this order (the first alternative that matches wins).
_PROTECTED = re.compile(
    "|".join(
        [
            r"<!--.*?-->",  # HTML comment
            r"</?[A-Za-z][^<>]*>",  # HTML tag (and <https://...> autolinks)
            r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);",  # entity
            r"\]\([^()\s]*(?:\s+\"[^\"]*\")?\)",  # Markdown link target: ](url "title")
            r"`[^`]+`",  # Markdown code span
            r"(?:https?|ftp|mailto):[^\s<>()\[\]\"']+",  # URL
            r"\{\{|\}\}|\{[^{}\s]*\}",  # Python brace format: {date}, {0}, {name!r:>10}
            r"%(?:\d+\$)?(?:\([^)\s]*\))?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcrsa%]",  # printf
        ]
    ),
    re.DOTALL,
)

_ACCENTS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "ÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽåƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýž",
)
# Filler for lengthening: accented number words, as Android's en-XA uses.
_FILLER = "öñé ţŵö ţĥŕéé ƒöûŕ ƒîṽé šîẋ šéṽéñ éîĝĥţ ñîñé ţéñ".split()
_WORD = re.compile(r"[^\W\d_]+")  # letters only: digits under an override would read backwards
_RLO, _PDF, _RLM = "\u202e", "\u202c", "\u200f"


@dataclass(frozen=True)
class PseudoSettings:
    """``[tool.locflow.pseudo]``."""

    expansion: float = DEFAULT_EXPANSION


_KEYS = {"expansion"}


def pseudo_settings(settings) -> PseudoSettings:
    """Validate ``[tool.locflow.pseudo]``; unknown keys and bad values are errors naming the key."""
    raw: Any = settings.extra.get("pseudo", {})
    path = settings.root / "pyproject.toml"
    if not isinstance(raw, dict):
        raise ConfigError("[tool.locflow.pseudo] must be a table", path)
    unknown = set(raw) - _KEYS
    if unknown:
        raise ConfigError(f"[tool.locflow.pseudo] unknown key {sorted(unknown)[0]!r} (known keys: {', '.join(sorted(_KEYS))})", path)
    expansion = raw.get("expansion", DEFAULT_EXPANSION)
    if isinstance(expansion, bool) or not isinstance(expansion, (int, float)) or not 0 <= expansion <= 2:
        raise ConfigError(f"[tool.locflow.pseudo] expansion: expected a ratio from 0 to 2 (0.35 = 35% longer), got {expansion!r}", path)
    return PseudoSettings(float(expansion))


def split_protected(text: str) -> list[tuple[bool, str]]:
    """``text`` as (protected, piece) pairs; the pieces join back to ``text``."""
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in _PROTECTED.finditer(text):
        if match.start() > position:
            pieces.append((False, text[position : match.start()]))
        pieces.append((True, match.group()))
        position = match.end()
    if position < len(text):
        pieces.append((False, text[position:]))
    return pieces


def placeholders(text: str) -> list[str]:
    """The protected pieces of ``text`` (placeholders, tags, link targets ...), in order."""
    return [piece for protected, piece in split_protected(text) if protected]


def _filler(length: int) -> str:
    words: list[str] = []
    size = 0
    index = 0
    while size < length:
        word = _FILLER[index % len(_FILLER)]
        words.append(word)
        size += len(word) + 1
        index += 1
    return " ".join(words)


def pseudo_text(text: str, language: Language, expansion: float = DEFAULT_EXPANSION) -> str:
    """The pseudo-locale version of a source string (see the module's description)."""
    if not text.strip():
        return text
    body = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    pieces = split_protected(body)
    if language.is_rtl:
        out = "".join(piece if protected else _WORD.sub(lambda m: f"{_RLO}{m.group()}{_PDF}", piece) for protected, piece in pieces)
        return f"{lead}{_RLM}{out}{trail}"
    out = "".join(piece if protected else piece.translate(_ACCENTS) for protected, piece in pieces)
    letters = sum(len(piece) for protected, piece in pieces if not protected and piece.strip())
    extra = math.ceil(letters * expansion) if letters else 0
    padding = f" {_filler(extra)}" if extra else ""
    return f"{lead}[{out}{padding}]{trail}"


class PseudoSource:
    """Draft source ``pseudo``: pseudo-locale text for pseudo-locales, nothing for real languages.

    Pseudo-locale catalogs are better filled with :func:`fill_catalog`, which
    writes them not fuzzy (a fuzzy draft is left out of the compiled catalog,
    which defeats the pseudo-locale) and regenerates changed strings.
    """

    name = "pseudo"
    generated = True  # its text needs no review: see fill_catalog

    def __init__(self, expansion: float = DEFAULT_EXPANSION):
        self.expansion = expansion

    @classmethod
    def from_settings(cls, settings, options: dict | None = None) -> "PseudoSource":
        return cls(pseudo_settings(settings).expansion)

    def drafts(self, language: Language, msgids: list) -> dict:
        """Drafts for every msgid (or ``(msgctxt, msgid)`` key) when ``language`` is a pseudo-locale."""
        if not language.pseudo:
            return {}
        found = {}
        for key in msgids:
            msgid = key[1] if isinstance(key, tuple) else key
            found[key] = Draft(pseudo_text(msgid, language, self.expansion), "pseudo", f"generated {language.code} text")
        return found


def fill_catalog(catalog: polib.POFile, language: Language, expansion: float = DEFAULT_EXPANSION) -> int:
    """Write the pseudo text of every message of a pseudo-locale catalog; returns how many changed.

    Messages are written not fuzzy with a comment saying they are generated;
    obsolete entries are dropped (the catalog is derived data). Running it twice
    changes nothing the second time.
    """
    if not language.pseudo:
        raise ValueError(f"{language.code} is not a pseudo-locale")
    changed = 0
    for entry in list(catalog):
        if entry.obsolete:
            catalog.remove(entry)
            changed += 1
            continue
        if entry.msgid == "":
            continue
        before = (entry.msgstr, dict(entry.msgstr_plural), list(entry.flags), entry.tcomment, entry.previous_msgid)
        if entry.msgid_plural:
            forms = sorted(entry.msgstr_plural) or list(range(language.nplurals))
            entry.msgstr_plural = {
                index: pseudo_text(entry.msgid if index == 0 else entry.msgid_plural, language, expansion) for index in forms
            }
        else:
            entry.msgstr = pseudo_text(entry.msgid, language, expansion)
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        entry.tcomment = PSEUDO_COMMENT
        if (entry.msgstr, dict(entry.msgstr_plural), list(entry.flags), entry.tcomment, entry.previous_msgid) != before:
            changed += 1
    return changed


def pseudo_languages(settings, codes: tuple[str, ...] | list[str] | None = None) -> tuple[Language, ...]:
    """The pseudo-locales named (``-l``), else those in ``languages``, else ``en_XA``."""
    from ..languages import get_language

    if codes:
        chosen = settings.select_languages(codes)
        real = [lang.code for lang in chosen if not lang.pseudo]
        if real:
            raise ConfigError(f"{real[0]!r} is not a pseudo-locale (pseudo-locales: en_XA, ar_XB)", settings.root / "pyproject.toml")
        return chosen
    listed = tuple(lang for lang in settings.languages if lang.pseudo)
    return listed or (get_language("en_XA"),)


def generate(settings, languages: tuple[Language, ...]):
    """Create or refresh ``locales/<pseudo>/LC_MESSAGES/<slug>.po`` from every template.

    The template is merged first (as ``update`` does), then every message gets
    its pseudo text. Returns a ``FileResult`` per catalog.
    """
    from ..catalogs import catalog_path, merge_catalog, read_catalog, save_catalog
    from ..pipeline import FileResult, load_templates, project_lock

    expansion = pseudo_settings(settings).expansion
    templates = load_templates(settings)
    results = []
    with project_lock(settings):
        plans = []
        for slug, template in templates.items():
            for language in languages:
                path = catalog_path(settings.locales_dir, language.code, slug)
                plans.append((slug, template, language, path, read_catalog(path) if path.exists() else None))
        for slug, template, language, path, existing in plans:
            merged = merge_catalog(template, existing, language, slug)
            fill_catalog(merged, language, expansion)
            written = save_catalog(merged, path)
            status = "unchanged" if not written else ("updated" if existing is not None else "created")
            results.append(FileResult(path, status, language.code, slug))
    return results
