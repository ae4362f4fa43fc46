"""Glossaries: approved translations of terms (places, peoples, events), one CSV per language.

``locales/<lang>/glossary.csv`` has a header row and the columns ``source``,
``target`` and optionally ``note``::

    source,target,note
    Baku,Баку,city
    Nagorno-Karabakh,Нагорный Карабах,region

Terms are matched in source strings as whole words, ignoring case. Drafts
apply them; ``check`` reports a source term whose approved translation is
missing from the translation.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .errors import LocflowError

GLOSSARY_FILE = "glossary.csv"


class GlossaryError(LocflowError):
    """A glossary file that cannot be read."""


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    note: str = ""

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){re.escape(self.source)}(?!\w)", re.IGNORECASE)


def glossary_path(locales_dir: Path, language: str) -> Path:
    return locales_dir / language / GLOSSARY_FILE


def load_glossary(path: Path) -> list[Term]:
    """Read a glossary CSV; a missing file is an empty glossary, a malformed one an error with its line."""
    if not path.exists():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"not valid UTF-8 (byte {exc.start})", path) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"source", "target"} - set(reader.fieldnames or [])
    if missing:
        raise GlossaryError(f"needs a header row with the columns source,target[,note] (missing: {', '.join(sorted(missing))})", path, 1)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
        if not source and not target:
            continue
        if not source or not target:
            raise GlossaryError("a term needs both a source and a target", path, line)
        key = source.casefold()
        if key in seen:
            raise GlossaryError(f"term {source!r} is already defined on line {seen[key]}", path, line)
        seen[key] = line
        terms.append(Term(source, target, (row.get("note") or "").strip()))
    # Longest first, so "Nagorno-Karabakh war" wins over "Nagorno-Karabakh".
    return sorted(terms, key=lambda term: -len(term.source))


def terms_in(text: str, terms: list[Term]) -> list[Term]:
    """The glossary terms that occur in a source string."""
    return [term for term in terms if term.pattern.search(text)]


# ---------------------------------------------------------------------------
# Is an approved term in a translation? (what drafts note and `check` reports)
# ---------------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]+|\d+")
_MAX_ENDING = 5  # letters an inflected word may add after the stem


def _word_pattern(word: str) -> str:
    """A word of an approved translation, allowing for its inflected forms.

    The rule, modest on purpose (it knows no grammar): a word of five letters
    or more matches any word that starts with its stem (the word minus its
    last three letters, keeping at least three letters of a five-letter word
    and four of a longer one) and is at most five letters longer than the
    word; a shorter word matches itself followed by up to three letters.

    Russian: Азербайджан → Азербайджана, Азербайджане; армяне → армян,
    армянами; Союз → Союза. Armenian: Բաքու → Բաքվում, Բաքվի; Ադրբեջան →
    Ադրբեջանի, Ադրբեջանում; հայեր → հայերի, հայերը; Միություն → Միության.
    """
    if not word.isalpha() or len(word) < 5:
        return re.escape(word) + (r"[^\W\d_]{0,3}" if word.isalpha() else "")
    stem_length = max(len(word) - 3, 3 if len(word) == 5 else 4)
    longest = len(word) + _MAX_ENDING - stem_length
    return re.escape(word[:stem_length]) + rf"[^\W\d_]{{0,{longest}}}"


@lru_cache(maxsize=4096)
def target_pattern(target: str) -> re.Pattern[str]:
    """The pattern that finds an approved translation (any case, inflected words) in a text."""
    words = _LETTERS.findall(target)
    if not words:
        return re.compile(re.escape(target), re.IGNORECASE)
    body = r"\W+".join(_word_pattern(word) for word in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _spans(term: Term, text: str) -> list[tuple[int, int]]:
    return [match.span() for match in term.pattern.finditer(text)]


def missing_terms(source: str, translation: str, terms: list[Term]) -> list[Term]:
    """The glossary terms of ``source`` whose approved translation is not in ``translation``.

    Terms are found in the source as whole words, any case; a term inside a
    longer term that is also in the glossary ("Nagorno-Karabakh" in
    "Nagorno-Karabakh war") counts only as part of the longer one. The
    approved translation is looked for with :func:`target_pattern` (any case,
    inflected forms allowed as its docstring says). An empty translation has
    nothing missing: it is untranslated, which completeness reports.
    """
    if not translation.strip():
        return []
    covered: list[tuple[int, int]] = []
    missing: list[Term] = []
    for term in sorted(terms_in(source, terms), key=lambda t: -len(t.source)):
        spans = _spans(term, source)
        if all(any(start <= s and e <= end for start, end in covered) for s, e in spans):
            continue  # only inside longer terms
        covered.extend(spans)
        if not target_pattern(term.target).search(translation):
            missing.append(term)
    return missing


# ---------------------------------------------------------------------------
# Writing and importing glossaries
# ---------------------------------------------------------------------------


def glossary_csv(terms: list[Term]) -> str:
    """The CSV text of a glossary, in the order given."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target", "note"])
    for term in terms:
        writer.writerow([term.source, term.target, term.note])
    return out.getvalue()


@dataclass(frozen=True)
class MergeResult:
    terms: list[Term]
    added: list[Term]
    conflicts: list[tuple[Term, Term]]  # (kept, offered): the file's term wins


def merge_terms(existing: list[Term], offered: list[Term], replace: bool = False) -> MergeResult:
    """Add ``offered`` terms to ``existing``; a term already there keeps its translation unless ``replace``."""
    by_key = {term.source.casefold(): term for term in existing}
    order = [term.source.casefold() for term in existing]
    added: list[Term] = []
    conflicts: list[tuple[Term, Term]] = []
    for term in offered:
        key = term.source.casefold()
        old = by_key.get(key)
        if old is None:
            by_key[key] = term
            order.append(key)
            added.append(term)
        elif old.target != term.target:
            if replace:
                by_key[key] = Term(old.source, term.target, term.note or old.note)
            conflicts.append((old, term))
    return MergeResult([by_key[key] for key in order], added, conflicts)


def read_glossary_in_file_order(path: Path) -> list[Term]:
    """Like :func:`load_glossary`, in the order of the file (for rewriting it)."""
    terms = load_glossary(path)
    if not terms:
        return terms
    position = {}
    reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""))
    for index, row in enumerate(reader):
        position.setdefault((row.get("source") or "").strip().casefold(), index)
    return sorted(terms, key=lambda term: position.get(term.source.casefold(), 0))


_ADMIN_STATUS = ("administrativeStatus", "normativeAuthorization")
_REJECTED = ("deprecated", "superseded", "notRecommended", "obsolete")


def read_tbx(path: Path, source_language: str, target_language: str) -> list[Term]:
    """The terms of a TBX file (TBX 2 ``martif`` or TBX 3 ``tbx``) for one language pair.

    Each concept entry (``termEntry`` / ``conceptEntry``) gives one term: its
    first source-language term and its first target-language term that is not
    marked deprecated, superseded or not recommended. A definition or note of
    the entry becomes the note. Entries without both languages are skipped.
    """
    from .tmx import XML_LANG, parse_xml, same_language

    root = parse_xml(path).getroot()

    def local(element) -> str:
        tag = element.tag
        return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""

    if local(root) not in ("martif", "tbx"):
        raise GlossaryError(f"not a TBX file (the root element is <{local(root)}>, not <martif> or <tbx>)", path, root.sourceline)
    terms: list[Term] = []
    seen: set[str] = set()
    for entry in root.iter():
        if local(entry) not in ("termEntry", "conceptEntry"):
            continue
        by_language: dict[str, list[str]] = {}
        notes: list[str] = []
        for child in entry.iter():
            name = local(child)
            if name in ("langSet", "langSec"):
                lang = child.get(XML_LANG) or child.get("lang") or ""
                for term_group in child.iter():
                    if local(term_group) not in ("tig", "ntig", "termSec"):
                        continue
                    term = next((e for e in term_group.iter() if local(e) == "term"), None)
                    if term is None:
                        continue
                    status = " ".join(
                        (e.text or "") for e in term_group.iter() if local(e) in ("termNote", "descrip") and e.get("type") in _ADMIN_STATUS
                    )
                    if any(word in status for word in _REJECTED):
                        continue
                    text = " ".join("".join(term.itertext()).split())
                    if text:
                        by_language.setdefault(lang, []).append(text)
            elif name in ("descrip", "note") and (child.get("type") in (None, "definition", "note")) and child.text:
                notes.append(" ".join(child.text.split()))
        source = next((texts[0] for lang, texts in by_language.items() if same_language(lang, source_language)), None)
        target = next((texts[0] for lang, texts in by_language.items() if same_language(lang, target_language)), None)
        if source and target and source.casefold() not in seen:
            seen.add(source.casefold())
            terms.append(Term(source, target, notes[0] if notes else ""))
    return terms


def import_tbx(locales_dir: Path, tbx: Path, source_language: str, language: str, replace: bool = False) -> tuple[Path, MergeResult, bool]:
    """Merge the terms of a TBX file into ``locales/<language>/glossary.csv`` (written atomically).

    Returns the glossary's path, what was merged and whether the file was written.
    """
    from .files import write_atomic

    offered = read_tbx(tbx, source_language, language)
    if not offered:
        raise GlossaryError(f"no terms with both {source_language!r} and {language!r} in it", tbx)
    path = glossary_path(locales_dir, language)
    result = merge_terms(read_glossary_in_file_order(path), offered, replace)
    text = glossary_csv(result.terms)
    if path.exists() and path.read_bytes() == text.encode("utf-8"):
        return path, result, False
    write_atomic(path, text)
    return path, result, True


def glossary_note(source: str, translation: str, terms: list[Term]) -> str:
    """What a draft's comment adds when it lacks approved terms: ``; glossary: Baku → Баку``."""
    missing = missing_terms(source, translation, terms)
    if not missing:
        return ""
    return "; glossary: " + ", ".join(f"{term.source} → {term.target}" for term in missing)
