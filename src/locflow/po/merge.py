"""Merging a template into a catalog as ``msgmerge --previous`` does.

GNU msgmerge (``msgmerge.c``, ``msgl-fsearch.c``), step by step:

* every template message that the catalog has (same msgctxt and msgid,
  obsolete entries included) keeps the catalog's translation, translator
  comments and fuzzy flag; extracted comments, references and format flags
  come from the template;
* a message the catalog lacks takes the most similar translated message of
  the catalog as a *fuzzy* draft, with its msgid as ``#| msgid``. "Most
  similar" is gettext's: candidates share at least one 4-character sequence
  with the message (messages under 4 characters are compared with messages
  of comparable byte length instead), the similarity is ``fstrcmp``'s
  (2 × common subsequence / total length, over the UTF-8 bytes) plus a small
  bonus for a candidate without msgctxt or with the same one, above 0.6, and
  ties go to the candidate with
  the most shared sequences, then the earliest;
* a message that becomes or stops being a plural is made fuzzy, and so is a
  translation whose format directives no longer match a newly flagged
  message;
* catalog messages nobody used become obsolete (``#~``), keeping their
  translation, translator comments and previous msgid; those without a
  translation are dropped when written;
* the header is the catalog's, with the template's ``POT-Creation-Date`` and
  ``Report-Msgid-Bugs-To``.

Translations are never lost: every translated message is either kept,
carried into a fuzzy match, or kept obsolete.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import polib

from .catalog import Catalog, header_of, parse_header
from .formats import directives_mismatch
from .writer import format_language

FUZZY_THRESHOLD = 0.6
_LENGTH_FACTOR = 2 / FUZZY_THRESHOLD - 1  # for strings of lengths l1 <= l2, fstrcmp <= 2*l1/(l1+l2)
_SHORT_MSG_MAX = int(3 * 4 * _LENGTH_FACTOR)  # gettext's SHORT_MSG_MAX (28)
_CONTEXT_BONUS = 0.00001

Key = tuple[str | None, str]

_KNOWN_FIELDS = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date", "Last-Translator",
    "Language-Team", "Language", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
)


def _first(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "") if entry.msgstr_plural else ""
    return entry.msgstr


def _has_text(entry: polib.POEntry) -> bool:
    return bool(_first(entry))


# ---------------------------------------------------------------------------
# Fuzzy search
# ---------------------------------------------------------------------------


class FuzzyIndex:
    """gettext's index of a catalog's translated messages by 4-grams of characters."""

    def __init__(self, entries: list[polib.POEntry]):
        self.entries = entries
        self.msgids = [entry.msgid.encode("utf-8") for entry in entries]
        self.grams: dict[str, list[int]] = defaultdict(list)
        self.short: dict[int, list[int]] = defaultdict(list)
        for index, entry in enumerate(entries):
            if not _has_text(entry):
                continue
            msgid = entry.msgid
            grams = self.grams
            seen: set[str] = set()
            for start in range(len(msgid) - 3):
                gram = msgid[start : start + 4]
                if gram not in seen:
                    seen.add(gram)
                    grams[gram].append(index)
            size = len(self.msgids[index])
            if size <= _SHORT_MSG_MAX:
                self.short[size].append(index)

    def candidates(self, msgid: str) -> list[int]:
        """The messages to compare with, in gettext's order."""
        if len(msgid) >= 4:
            counts: dict[int, int] = defaultdict(int)
            grams = self.grams
            for start in range(len(msgid) - 3):
                found = grams.get(msgid[start : start + 4])
                if found:
                    for index in found:
                        counts[index] += 1
            return sorted(counts, key=lambda index: (-counts[index], index))
        size = len(msgid.encode("utf-8"))
        low = math.ceil(size / _LENGTH_FACTOR)
        high = int(size * _LENGTH_FACTOR)
        return [index for length in range(low, high + 1) for index in self.short.get(length, ())]

    def search(self, msgctxt: str | None, msgid: str) -> polib.POEntry | None:
        """The best fuzzy match for a message, or None (msgmerge's choice)."""
        from rapidfuzz.distance import Indel  # imported when a merge needs it, not at start-up

        query = msgid.encode("utf-8")
        best_weight = FUZZY_THRESHOLD
        best = None
        for index in self.candidates(msgid):
            entry = self.entries[index]
            other = self.msgids[index]
            total = len(query) + len(other)
            # A small advantage for a candidate valid in any context, or in this one.
            bonus = _CONTEXT_BONUS if entry.msgctxt is None or entry.msgctxt == msgctxt else 0.0
            lower = best_weight - bonus * 1.01 if bonus else best_weight
            # fstrcmp's quick bound: the length difference alone is that many edits.
            if total == 0 or 2 * min(len(query), len(other)) / total < lower:
                continue
            limit = int(total * (1.0 - lower + 0.000001))
            edits = Indel.distance(query, other, score_cutoff=limit)
            if edits > limit:
                continue
            weight = (total - edits) / total + bonus
            if weight > best_weight:
                best_weight, best = weight, entry
        return best


# ---------------------------------------------------------------------------
# The header
# ---------------------------------------------------------------------------


def _header_lines(text: str) -> list[str]:
    """The header's lines, each with its newline (a last line without one gets one)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line + "\n" for line in lines]


def merge_header(old: str, template: str, language_from_team=None) -> str:
    """msgmerge's header: the catalog's fields in gettext's order (unknown ones
    after, as they were), with the template's Report-Msgid-Bugs-To and
    POT-Creation-Date, and a Language field when the catalog had none."""
    known: dict[str, str] = {}
    unknown: list[str] = []
    for line in _header_lines(old):
        lowered = line.lower()
        for name in _KNOWN_FIELDS:
            if lowered.startswith(name.lower() + ":"):
                known[name] = line[len(name) + 1 :]
                break
        else:
            unknown.append(line)
    if "Language" not in known and "Language-Team" in known and language_from_team is not None:
        code = language_from_team(known["Language-Team"])
        known["Language"] = f" {code}\n" if code else " \n"
    for name in ("Report-Msgid-Bugs-To", "POT-Creation-Date"):
        position = template.find(name + ":")
        if position >= 0:
            value = template[position + len(name) + 1 :]
            end = value.find("\n")
            known[name] = value[: end + 1] if end >= 0 else value + "\n"
    return "".join(f"{name}:{known[name]}" for name in _KNOWN_FIELDS if name in known) + "".join(unknown)


_TEAM_ADDRESS = re.compile(r"^(.*?)[ \t]+(\S+)$")


def language_from_team(team: str) -> str | None:
    """The language code gettext derives from a Language-Team field
    (``French <traduc@traduc.org>`` -> ``fr``), using Babel's English names."""
    team = team.strip(" \t\n")
    match = _TEAM_ADDRESS.match(team)
    if match:
        last = match.group(2)
        if last.startswith("<") or last.endswith(">") or "@" in team or "/" in team:
            team = match.group(1).rstrip(" \t")
    if not team:
        return None
    return _english_names().get(team)


def _english_names() -> dict[str, str]:
    global _NAMES
    if _NAMES is None:
        from babel import Locale

        names = Locale("en").languages
        territories = Locale("en").territories
        _NAMES = {}
        for code, name in names.items():
            if "_" not in code and len(code) <= 3:
                _NAMES.setdefault(name, code)
        # "Portuguese (Brazil)"-style variants, as gettext's variant table has them.
        for variant in ("pt_BR", "zh_CN", "zh_TW", "zh_HK", "en_GB", "en_US", "es_MX", "fr_CA", "de_CH"):
            language, territory = variant.split("_")
            if language in names and territory in territories:
                _NAMES.setdefault(f"{names[language]} ({territories[territory]})", variant)
    return _NAMES


_NAMES: dict[str, str] | None = None


_CHARSET = re.compile(r"(Content-Type:[^\n]*?charset=)([^ \t\n;]+)", re.I)


def utf8_charset(header: str) -> str:
    """The header with ``charset=UTF-8``: locflow writes every catalog in UTF-8
    (converted from the charset it was read in, as msgmerge converts a catalog
    merged with a UTF-8 template)."""
    match = _CHARSET.search(header)
    if match is None or match.group(2).upper() in ("UTF-8", "CHARSET"):
        return header
    return header[: match.start(2)] + "UTF-8" + header[match.end(2):]


def _nplurals(header: str) -> int:
    """gettext's plural count for a header (2 when it has no Plural-Forms)."""
    match = re.search(r"Plural-Forms:[^\n]*?nplurals\s*=\s*([0-9]+)", header)
    if match:
        value = int(match.group(1))
        if value > 0:
            return value
    return 2


# ---------------------------------------------------------------------------
# The merge
# ---------------------------------------------------------------------------


def _entry(template: polib.POEntry) -> polib.POEntry:
    entry = polib.POEntry.__new__(polib.POEntry)
    entry.msgid = template.msgid
    entry.msgctxt = template.msgctxt
    entry.msgid_plural = template.msgid_plural
    entry.msgstr = ""
    entry.msgstr_plural = {}
    entry.obsolete = template.obsolete
    entry.encoding = "utf-8"
    entry.comment = template.comment
    entry.tcomment = ""
    entry.occurrences = list(template.occurrences)
    entry.flags = []
    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    entry.linenum = template.linenum
    entry.blank_comment = getattr(template, "blank_comment", False)
    entry.blank_tcomment = False
    return entry


def _format_flags(flags: list[str]) -> list[str]:
    return [flag for flag in flags if flag.endswith("-format")]


def _merge_message(old: polib.POEntry, source: polib.POEntry, fuzzy_match: bool, nplurals: int) -> polib.POEntry:
    """msgmerge's message_merge: the template's message with the catalog's translation."""
    entry = _entry(source)
    entry.msgstr = old.msgstr if not old.msgid_plural else ""
    entry.msgstr_plural = dict(old.msgstr_plural) if old.msgid_plural else {}
    entry.tcomment = old.tcomment
    entry.blank_tcomment = getattr(old, "blank_tcomment", False)
    fuzzy = "fuzzy" in old.flags or fuzzy_match
    if not fuzzy and (source.msgid_plural or "") != (old.msgid_plural or ""):
        fuzzy = True
    template_formats = _format_flags(source.flags)
    if not fuzzy:
        old_formats = {flag for flag in old.flags if flag.endswith("-format") and not flag.startswith("no-")}
        for flag in template_formats:
            if flag.startswith("no-") or flag in old_formats:
                continue
            name = flag[:-7].removeprefix("possible-")
            forms = [old.msgstr] if not old.msgid_plural else [old.msgstr_plural[i] for i in sorted(old.msgstr_plural)]
            if any(form and directives_mismatch(name, source.msgid, form) for form in forms):
                fuzzy = True
                break
    # Flags: fuzzy, the template's format/range/wrap flags, and the catalog's own
    # flags gettext does not know (a translator's ignore-<check>), kept.
    template_other = [flag for flag in source.flags if flag != "fuzzy"]
    translator_own = [
        flag for flag in old.flags
        if flag != "fuzzy" and not flag.endswith("-format") and not flag.startswith("range:")
        and flag not in ("wrap", "no-wrap") and flag not in template_other
    ]
    entry.flags = (["fuzzy"] if fuzzy else []) + template_other + translator_own
    if "fuzzy" in old.flags:
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    else:
        entry.previous_msgctxt = old.msgctxt
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None
    # A message that became a plural (or stopped being one) is made fuzzy.
    if source.msgid_plural and not old.msgid_plural:
        entry.msgstr_plural = {index: old.msgstr for index in range(nplurals)}
        entry.msgstr = ""
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
    elif not source.msgid_plural and old.msgid_plural:
        forms = [old.msgstr_plural[i] for i in sorted(old.msgstr_plural)]
        entry.msgstr = forms[0] if forms else ""
        entry.msgstr_plural = {}
        if len(forms) > 1 and "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
    return entry


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    entry = polib.POEntry.__new__(polib.POEntry)
    entry.__dict__.update(old.__dict__)
    entry.flags = list(old.flags)
    entry.msgstr_plural = dict(old.msgstr_plural)
    entry.occurrences = []
    entry.comment = ""
    entry.blank_comment = False
    entry.obsolete = True
    return entry


def merge(template: polib.POFile, old: polib.POFile, *, header: str | None = None) -> Catalog:
    """``msgmerge --previous old template``: a new catalog (``old`` and
    ``template`` are not modified). ``header``: the merged header's text, when
    the caller decides it (locflow's update); by default msgmerge's."""
    merged = Catalog()
    old_header = header_of(old)
    template_header = header_of(template)
    if header is None and old_header is not None:
        header = utf8_charset(merge_header(old_header, template_header or "", language_from_team))
    if header is not None:
        merged.header_msgstr = header
        merged.metadata = parse_header(header)
        merged.header = old.header
        merged.header_comments = getattr(old, "header_comments", None)
        merged.metadata_is_fuzzy = old.metadata_is_fuzzy
        merged.header_extra_flags = list(getattr(old, "header_extra_flags", []))
    nplurals = _nplurals(old_header or "")

    definitions: dict[Key, polib.POEntry] = {}
    for entry in old:
        key = (entry.msgctxt, entry.msgid)
        current = definitions.get(key)
        if current is None or (current.obsolete and not entry.obsolete):
            definitions[key] = entry
    index: FuzzyIndex | None = None
    used: set[int] = set()
    results: list[polib.POEntry] = []
    for source in template:
        if source.msgid == "" and source.msgctxt is None and not source.obsolete:
            continue  # the header, done above
        found = definitions.get((source.msgctxt, source.msgid))
        if found is not None:
            used.add(id(found))
            results.append(_merge_message(found, source, False, nplurals))
            continue
        if index is None:
            index = FuzzyIndex([entry for entry in old if not (entry.msgid == "" and entry.msgctxt is None)])
        match = index.search(source.msgctxt, source.msgid)
        if match is not None:
            used.add(id(match))
            results.append(_merge_message(match, source, True, nplurals))
            continue
        entry = _entry(source)
        entry.tcomment = source.tcomment
        entry.flags = list(source.flags)
        if source.msgid_plural:
            forms = dict(source.msgstr_plural) if any(source.msgstr_plural.values()) else {}
            entry.msgstr_plural = forms or {i: "" for i in range(nplurals)}
        else:
            entry.msgstr = source.msgstr
        results.append(entry)
    for entry in results:
        # The previous msgid stays only where it helps: a fuzzy, translated message.
        if "fuzzy" not in entry.flags or not _first(entry):
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        merged.append(entry)
    for entry in old:
        if id(entry) in used or (entry.msgid == "" and entry.msgctxt is None and not entry.obsolete):
            continue
        if definitions[(entry.msgctxt, entry.msgid)] is not entry and id(definitions[(entry.msgctxt, entry.msgid)]) in used:
            continue  # an obsolete twin of a message that is live again
        merged.append(_obsolete(entry))
    return merged


__all__ = ["merge", "merge_header", "FuzzyIndex", "FUZZY_THRESHOLD", "format_language"]
