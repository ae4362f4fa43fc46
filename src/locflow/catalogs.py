"""Templates and catalogs: build, merge, count and save them safely.

* :func:`build_template` turns a parsed article into its POT.
* :func:`merge_catalog` merges a template into a language's catalog with
  msgmerge's semantics: kept translations, fuzzy matches with ``#| msgid``,
  obsolete entries for removed strings, and never a lost translation.
* :func:`statistics` counts exactly as ``msgfmt --statistics`` does.
* :func:`save_catalog` writes atomically (temporary file, then rename), and
  only when something changed, so every step is idempotent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib
from rapidfuzz import fuzz, process

from . import __version__, clock
from .document import Document
from .errors import CatalogError
from .files import STAGED, commit, discard, stage, sync_staged, write_atomic  # noqa: F401 (re-exported)
from .languages import Language

WRAP_WIDTH = 78
# msgmerge proposes a previous translation when the strings are at least this
# similar (its FUZZY_THRESHOLD is 0.6 of fstrcmp; rapidfuzz's ratio is the same
# normalized measure, on a 0-100 scale).
FUZZY_THRESHOLD = 60.0
GENERATOR = f"locflow {__version__}"

Key = tuple[str | None, str]  # (msgctxt, msgid)


def now_stamp() -> str:
    """The current time as gettext headers write it (``SOURCE_DATE_EPOCH`` when set)."""
    return clock.gettext_stamp()


def key_of(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------


def template_path(locales_dir: Path, slug: str) -> Path:
    return locales_dir / "templates" / f"{slug}.pot"


def catalog_path(locales_dir: Path, language: str, slug: str) -> Path:
    return locales_dir / language / "LC_MESSAGES" / f"{slug}.po"


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

_POLIB_LINE = re.compile(r"\(line (\d+)\)")


def read_catalog(path: Path) -> polib.POFile:
    """Read a PO or POT file; any problem is a :class:`CatalogError` naming file and line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("file not found", path) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path) from None
    return parse_catalog(data, path)


def decode_catalog(data: bytes, path: Path) -> str:
    """The text of a PO file's bytes, in its declared charset, syntax-checked.

    Like msgfmt: a byte-order mark is an error, CRLF line endings are accepted
    (and written back as LF), a catalog without its header entry is an error.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise CatalogError("starts with a byte-order mark, which gettext tools reject; save it as UTF-8 without BOM", path, 1)
    charset = _declared_charset(data)
    try:
        text = data.decode(charset)
    except LookupError:
        raise CatalogError(f"unknown charset {charset!r} in the Content-Type header", path) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"not valid {charset} (byte {data[exc.start]:#04x}); catalogs must be UTF-8", path, line) from None
    check_syntax(text, path)
    return text


def parse_catalog(data: bytes, path: Path) -> polib.POFile:
    """Parse the bytes of a PO or POT file (see :func:`read_catalog`)."""
    text = decode_catalog(data, path)
    try:
        catalog = _polib_parse(text)
    except (OSError, ValueError) as exc:
        message = str(exc)
        match = _POLIB_LINE.search(message)
        line = int(match.group(1)) if match else None
        message = _POLIB_LINE.sub("", message).replace("in po file", "").strip().rstrip(":").strip()
        if "already in the file" in message or "already exists" in message:
            found = re.search(r'Entry "(.*)" already exists', message, re.S)
            message = "duplicate message definition" + (f" ({found.group(1)[:60]!r})" if found else "")
            line = line or _duplicate_line(text)
        raise CatalogError(message or "malformed PO file", path, line) from None
    catalog.fpath = str(path)
    return catalog


def _polib_parse(text: str) -> polib.POFile:
    """polib's parser, fed lines split at "\\n" only.

    ``polib.pofile(text)`` splits with ``str.splitlines``, which also breaks at
    U+2028, U+0085, form feeds and other characters a PO string may hold raw,
    and silently drops text there. GNU gettext splits at newlines only; so do we.
    """
    parser = polib._POFileParser(text, encoding="utf-8", check_for_duplicates=False)
    parser.fhandle = text.split("\n")
    catalog = parser.parse()
    catalog.wrapwidth = WRAP_WIDTH
    # polib's own duplicate check scans the catalog for every entry (quadratic);
    # the same rule with a set: a message may not repeat an earlier live message.
    live: set[Key] = set()
    for entry in catalog:
        key = key_of(entry)
        if key in live:
            raise ValueError(f'Entry "{entry.msgid}" already exists')
        if not entry.obsolete:
            live.add(key)
    return catalog


def _duplicate_line(text: str) -> int | None:
    """The line of the second definition of a message (for polib's duplicate error)."""
    seen: set[tuple[str | None, str]] = set()
    for number, key in _message_keys(text):
        if key in seen:
            return number
        seen.add(key)
    return None


def _message_keys(text: str):
    """(line, (msgctxt, msgid)) of each live message, from the raw text (strings
    kept escaped: enough to place an error polib already found)."""
    key_line, current, field = 0, None, None
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if line.startswith('"') and field is not None:
            current[field] += line
            continue
        if field == "msgid":
            yield key_line, (current["msgctxt"], current["msgid"])
            current, field = None, None
        if line.startswith("msgctxt "):
            current, field = {"msgctxt": line[8:], "msgid": ""}, "msgctxt"
        elif line.startswith("msgid "):
            if current is None:
                current = {"msgctxt": None, "msgid": ""}
            current["msgid"] = line[6:]
            key_line, field = number, "msgid"
        else:
            field = None
            if not line.startswith("#"):
                current = None
    if field == "msgid":
        yield key_line, (current["msgctxt"], current["msgid"])


_KEYWORD = re.compile(r"^(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(?P<string>\".*)$")
_STRING = re.compile(r'^"(?:[^"\\]|\\(?:[ntr"\\abfv?\']|[0-7]{1,3}|x[0-9A-Fa-f]+))*"\s*$')


def check_syntax(text: str, path: Path) -> None:
    """Reject what msgfmt rejects and polib lets through: unterminated strings, bad
    escapes, unknown keywords and a missing header entry, reported with their line number."""
    header_checked = False
    previous = None
    entry = _EntryShape(path, _header_nplurals(text))
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] == "#":
            continue
        if stripped[0] == '"':
            string = stripped
        else:
            keyword = _KEYWORD.match(stripped)
            string = keyword.group("string") if keyword else stripped
            if not string.startswith('"'):
                raise CatalogError(f"syntax error: unexpected {stripped.split()[0]!r}", path, number)
            entry.keyword(stripped.split(None, 1)[0], number)
        # Most strings have no escapes: checked with string methods, the rest by the full pattern.
        plain = len(string) > 1 and string[-1] == '"' and "\\" not in string and '"' not in string[1:-1]
        if not plain and not _STRING.match(string):
            raise CatalogError("syntax error: unterminated string or invalid escape sequence", path, number)
        if not header_checked and stripped.startswith("msgid"):
            header_checked = True
            if stripped != 'msgid ""' or (previous or "").startswith("msgctxt"):
                raise CatalogError(
                    "no header entry (msgid \"\" with Content-Type) before the first message; "
                    "msgfmt rejects such a catalog: add the header (copy it from another language's catalog)",
                    path,
                    number,
                )
        previous = stripped
    entry.end()


class _EntryShape:
    """gettext's grammar of one entry: ``[msgctxt] msgid [msgid_plural]`` then ``msgstr``,
    or ``msgstr[0]`` ... ``msgstr[n-1]`` for a plural (n from Plural-Forms, when known)."""

    def __init__(self, path: Path, nplurals: int | None):
        self.path, self.nplurals = path, nplurals
        self.state, self.start, self.plural, self.forms = "start", 0, False, 0

    def fail(self, message: str, line: int) -> CatalogError:
        return CatalogError(f"syntax error: {message}", self.path, line)

    def keyword(self, word: str, line: int) -> None:
        if word in ("msgctxt", "msgid") and self.state in ("ctxt", "id", "plural"):
            if not (word == "msgid" and self.state == "ctxt"):
                raise self.fail("message without msgstr", self.start)
        if word == "msgctxt":
            self.state, self.start = "ctxt", line
        elif word == "msgid":
            if self.state != "ctxt":
                self.start = line
            self.state, self.plural, self.forms = "id", False, 0
        elif word == "msgid_plural":
            if self.state != "id":
                raise self.fail("msgid_plural without a msgid before it", line)
            self.state, self.plural = "plural", True
        elif word == "msgstr":
            if self.state not in ("id", "plural"):
                raise self.fail("msgstr without a msgid before it", line)
            if self.plural:
                raise self.fail("a plural message needs msgstr[0], msgstr[1] ... instead of msgstr", line)
            self.state = "str"
        else:  # msgstr[N]
            index = int(word[7:-1])
            if self.state not in ("plural", "strn") or not self.plural:
                raise self.fail(f"{word} in a message without msgid_plural", line)
            if index != self.forms:
                raise self.fail(f"{word} out of order (expected msgstr[{self.forms}])", line)
            if self.nplurals is not None and index >= self.nplurals:
                raise self.fail(f"{word}: the Plural-Forms header allows {self.nplurals} forms", line)
            self.state, self.forms = "strn", self.forms + 1

    def end(self) -> None:
        if self.state in ("ctxt", "id", "plural"):
            raise self.fail("message without msgstr", self.start)


def _header_nplurals(text: str) -> int | None:
    match = re.search(r"Plural-Forms:[^\n]*?nplurals\s*=\s*(\d+)", text[:4096])
    return int(match.group(1)) if match else None


def _declared_charset(data: bytes) -> str:
    match = re.search(rb"Content-Type:[^\"\\]*charset=([A-Za-z0-9_.:-]+)", data[:4096])
    if not match:
        return "utf-8"
    charset = match.group(1).decode("ascii").lower()
    return "utf-8" if charset == "charset" else charset  # "CHARSET" in a fresh POT


# ---------------------------------------------------------------------------
# Building templates
# ---------------------------------------------------------------------------


def build_template(documents: Iterable[Document], domain: str, root: Path) -> polib.POFile:
    """The POT for one domain: one entry per distinct message, with every reference."""
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.header = (
        f"Translation template for {domain}.\n"
        "This file is generated by locflow extract from the source article; do not edit it."
    )
    pot.metadata = {
        "Project-Id-Version": domain,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now_stamp(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    pot.metadata_is_fuzzy = True
    by_key: dict[Key, polib.POEntry] = {}
    for doc in documents:
        reference = _relative(doc.path, root)
        for block in doc.translatable_blocks():
            key = (block.context, block.msgid)
            entry = by_key.get(key)
            if entry is None:
                entry = polib.POEntry(
                    msgid=block.msgid,
                    msgctxt=block.context,
                    msgstr="",
                    comment=f"type: {block.kind}" + (f"\n{block.comment}" if block.comment else ""),
                    occurrences=[],
                    flags=list(block.flags),
                )
                by_key[key] = entry
                pot.append(entry)
            elif f"type: {block.kind}" not in entry.comment.split("\n"):
                entry.comment += f"\ntype: {block.kind}"
            entry.occurrences.append((reference, str(block.line)))
    return pot


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------
# Merging a template into a catalog (msgmerge semantics)
# ---------------------------------------------------------------------------


def new_catalog(template: polib.POFile, language: Language, domain: str) -> polib.POFile:
    """An empty catalog for ``language`` with gettext's headers, as msginit would write it."""
    catalog = polib.POFile(wrapwidth=WRAP_WIDTH)
    catalog.header = (
        f"{language.english_name} translation of {domain}.\n"
        "Translators: edit this file in Poedit, Lokalize, Weblate or a text editor;\n"
        "drafts marked fuzzy need review before they count as translated."
    )
    stamp = template.metadata.get("POT-Creation-Date") or now_stamp()
    catalog.metadata = {
        "Project-Id-Version": domain,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "Automatically generated",
        "Language-Team": language.english_name,
        "Language": language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": language.plural_forms,
        "X-Generator": GENERATOR,
    }
    return catalog


def _has_translation(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return any(value for value in entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _empty_plural(nplurals: int) -> dict[int, str]:
    return {index: "" for index in range(nplurals)}


def merge_catalog(
    template: polib.POFile,
    existing: polib.POFile | None,
    language: Language,
    domain: str,
    fuzzy_threshold: float = FUZZY_THRESHOLD,
) -> polib.POFile:
    """Merge ``template`` into ``existing`` (or a new catalog) and return the result.

    As msgmerge: an exact match keeps its translation, flags and translator
    comments; a changed string takes the most similar old translation as a
    fuzzy draft with the old msgid as ``#|``; strings gone from the template
    become obsolete (``#~``) if they were translated. Template comments,
    references and format flags always come from the template.
    """
    merged = new_catalog(template, language, domain)
    if existing is not None:
        merged.header = existing.header or merged.header
        merged.metadata.update({k: v for k, v in existing.metadata.items() if v})
        merged.metadata_is_fuzzy = existing.metadata_is_fuzzy
    merged.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", merged.metadata["POT-Creation-Date"])
    merged.metadata["Language"] = language.code
    merged.metadata["Plural-Forms"] = merged.metadata.get("Plural-Forms") or language.plural_forms
    merged.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    merged.metadata["Content-Transfer-Encoding"] = "8bit"
    merged.metadata["MIME-Version"] = "1.0"
    merged.metadata["X-Generator"] = GENERATOR
    nplurals = _nplurals(merged, language)

    old_entries = [entry for entry in (existing or []) if entry.msgid != ""]
    old_by_key: dict[Key, polib.POEntry] = {}
    for entry in old_entries:
        # A live entry wins over an obsolete one with the same key.
        if key_of(entry) not in old_by_key or old_by_key[key_of(entry)].obsolete:
            old_by_key[key_of(entry)] = entry
    fuzzy_pool = [entry for entry in old_entries if _has_translation(entry)]
    unmatched = [source.msgid for source in template if source.msgid and key_of(source) not in old_by_key]
    closest = dict(zip(unmatched, closest_matches(unmatched, [entry.msgid for entry in fuzzy_pool], fuzzy_threshold)))
    used: set[int] = set()

    for source in template:
        if source.msgid == "":
            continue
        entry = polib.POEntry(
            msgid=source.msgid,
            msgctxt=source.msgctxt,
            msgid_plural=source.msgid_plural,
            comment=source.comment,
            occurrences=list(source.occurrences),
            flags=[flag for flag in source.flags if flag != "fuzzy"],
        )
        old = old_by_key.get(key_of(source))
        if old is not None:
            used.add(id(old))
            _copy_translation(old, entry, nplurals)
            entry.tcomment = old.tcomment
            entry.flags += [flag for flag in old.flags if flag not in entry.flags and not flag.endswith("-format")]
            if old.fuzzy:
                entry.previous_msgid = old.previous_msgid
                entry.previous_msgid_plural = old.previous_msgid_plural
                entry.previous_msgctxt = old.previous_msgctxt
        else:
            match = closest.get(source.msgid)
            if match is not None:
                old = fuzzy_pool[match]
                used.add(id(old))  # as msgmerge: carried into the fuzzy entry, not also kept obsolete
                _copy_translation(old, entry, nplurals)
                entry.tcomment = old.tcomment
                entry.flags.append("fuzzy")
                entry.previous_msgid = old.msgid
                entry.previous_msgid_plural = old.msgid_plural or None
                entry.previous_msgctxt = old.msgctxt
            elif entry.msgid_plural:
                entry.msgstr_plural = _empty_plural(nplurals)
        merged.append(entry)

    template_keys = {key_of(entry) for entry in template}
    for old in old_entries:
        if key_of(old) in template_keys or not _has_translation(old) or id(old) in used:
            continue
        if old_by_key.get(key_of(old)) is not old:
            continue  # an obsolete twin of a live entry
        obsolete = polib.POEntry(
            msgid=old.msgid,
            msgctxt=old.msgctxt,
            msgid_plural=old.msgid_plural,
            msgstr=old.msgstr,
            msgstr_plural=dict(old.msgstr_plural),
            tcomment=old.tcomment,
            flags=[flag for flag in old.flags],
            # No "#~| msgid": polib cannot read it back, so writing it would make
            # every later update drop it (and update would not be idempotent).
            obsolete=True,
        )
        merged.append(obsolete)
    return merged


def _nplurals(catalog: polib.POFile, language: Language) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else language.nplurals


def _copy_translation(old: polib.POEntry, new: polib.POEntry, nplurals: int) -> None:
    if new.msgid_plural:
        if old.msgid_plural:
            new.msgstr_plural = {**_empty_plural(nplurals), **old.msgstr_plural}
        else:
            new.msgstr_plural = _empty_plural(nplurals)
            new.msgstr_plural[0] = old.msgstr
            if old.msgstr and "fuzzy" not in new.flags:
                new.flags.append("fuzzy")  # a singular became a plural: the translator must add forms
    elif old.msgid_plural:
        new.msgstr = old.msgstr_plural.get(0, "")
        if new.msgstr and "fuzzy" not in new.flags:
            new.flags.append("fuzzy")
    else:
        new.msgstr = old.msgstr


def closest_matches(queries: list[str], choices: list[str], threshold: float = FUZZY_THRESHOLD) -> list[int | None]:
    """For each query, the index of the most similar choice scoring at least
    ``threshold`` (rapidfuzz ``ratio``, 0-100, msgmerge's measure), or None.

    Only strings with no exact match are looked up, among the translated old
    entries of the same catalog (what msgmerge searches), so the work grows with
    the changes, not with the site. rapidfuzz scores in C and, given the
    cutoff, skips choices whose lengths alone rule them out (for ``ratio``
    >= 60 the shorter string needs at least 43% of the longer one's length).
    Ties go to the earliest choice.
    """
    if not choices:
        return [None] * len(queries)
    found: list[int | None] = []
    for query in queries:
        match = process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
        found.append(None if match is None else match[2])
    return found


# ---------------------------------------------------------------------------
# Statistics (msgfmt --statistics)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """Message counts as GNU msgfmt reports them."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share of messages translated, in percent (100 for an empty catalog)."""
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total

    def __add__(self, other: "Stats") -> "Stats":
        return Stats(self.translated + other.translated, self.fuzzy + other.fuzzy, self.untranslated + other.untranslated)


def statistics(catalog: polib.POFile) -> Stats:
    """Count as msgfmt: obsolete entries and the header are not messages; a message
    whose (first) msgstr is empty is untranslated even if fuzzy; a fuzzy one with
    text is fuzzy; the rest are translated."""
    translated = fuzzy = untranslated = 0
    for entry in catalog:
        if entry.obsolete or (entry.msgid == "" and not entry.msgctxt):
            continue
        first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if not first:
            untranslated += 1
        elif entry.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    return Stats(translated, fuzzy, untranslated)


def catalog_statistics(data: bytes, path: Path) -> Stats:
    """:func:`statistics` of a PO file's bytes, validating it as :func:`parse_catalog` does.

    A single pass over the lines counts well-formed catalogs several times
    faster than building polib objects; anything unusual (a structure this
    scanner does not expect, a duplicate) is handed to :func:`parse_catalog`,
    which reports the exact error or, if the file is valid after all, counts it.
    """
    text = decode_catalog(data, path)
    counted = _scan_statistics(text)
    if counted is None:
        return statistics(parse_catalog(data, path))
    return counted


def _scan_statistics(text: str) -> Stats | None:
    translated = fuzzy = untranslated = 0
    seen: set[tuple[str | None, str]] = set()
    state = "idle"  # idle, ctxt, id, plural, str
    is_fuzzy = False
    ctxt: str | None = None
    msgid = ""
    first = ""
    plural_index = -1

    def finish() -> bool:
        nonlocal translated, fuzzy, untranslated, is_fuzzy, ctxt
        key = (ctxt, msgid)
        if "\\" in msgid or (ctxt and "\\" in ctxt):
            key = (None if ctxt is None else polib.unescape(ctxt), polib.unescape(msgid))
        if key in seen:
            return False
        seen.add(key)
        if not (msgid == "" and ctxt is None):
            if not first:
                untranslated += 1
            elif is_fuzzy:
                fuzzy += 1
            else:
                translated += 1
        is_fuzzy = False
        ctxt = None
        return True

    field = ""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            if state == "str":
                if not finish():
                    return None
                state = "idle"
            elif state != "idle":
                return None
            continue
        head = line[0]
        if head == "#":
            if state == "str":
                if not finish():
                    return None
                state = "idle"
            elif state != "idle":
                return None
            if line.startswith("#,"):
                if "fuzzy" in (flag.strip() for flag in line[2:].split(",")):
                    is_fuzzy = True
            elif line.startswith("#~"):
                is_fuzzy = False  # flags above an obsolete entry belong to it
            continue
        if head == '"':
            if state == "idle":
                return None
            if field == "ctxt":
                ctxt = (ctxt or "") + line[1:-1]
            elif field == "id":
                msgid += line[1:-1]
            elif field == "first":
                first += line[1:-1]
            continue
        keyword, _, string = line.partition(" ")
        string = string.strip()[1:-1]
        if keyword == "msgctxt":
            if state == "str":
                if not finish():
                    return None
            elif state != "idle":
                return None
            state, field, ctxt = "ctxt", "ctxt", string
        elif keyword == "msgid":
            if state == "str":
                if not finish():
                    return None
            elif state not in ("idle", "ctxt"):
                return None
            if state == "idle":
                ctxt = None
            state, field, msgid = "id", "id", string
        elif keyword == "msgid_plural":
            if state != "id":
                return None
            state, field, plural_index = "plural", "", -1
        elif keyword == "msgstr":
            if state != "id":
                return None
            state, field, first, plural_index = "str", "first", string, -2
        elif keyword.startswith("msgstr["):
            try:
                index = int(keyword[7:-1])
            except ValueError:
                return None
            if state == "plural" and index == 0:
                state, field, first, plural_index = "str", "first", string, 0
            elif state == "str" and plural_index >= 0 and index == plural_index + 1:
                field, plural_index = "", index
            else:
                return None
        else:
            return None
    if state == "str":
        if not finish():
            return None
    elif state != "idle":
        return None
    return Stats(translated, fuzzy, untranslated)


def is_translated(entry: polib.POEntry) -> bool:
    """Whether an entry is translated in gettext's sense (what build uses)."""
    if entry.obsolete or entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural.get(0))
    return bool(entry.msgstr)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


_polib_str_field = polib._BaseEntry._str_field


@functools.lru_cache(maxsize=8192)
def _wrapped_field(fieldname: str, delflag: str, plural_index: str, field: str, wrapwidth: int) -> tuple[str, ...]:
    return tuple(_polib_str_field(None, fieldname, delflag, plural_index, field, wrapwidth))


def _str_field(self, fieldname, delflag, plural_index, field, wrapwidth=78):
    # polib's own function (a pure one: it never reads ``self``), remembered: a
    # template's strings are wrapped once for all of its languages' catalogs,
    # and wrapping is a third of the time update spends.
    return list(_wrapped_field(fieldname, delflag, plural_index, field, wrapwidth))


polib._BaseEntry._str_field = _str_field


def serialize(catalog: polib.POFile) -> str:
    text = catalog.__unicode__()
    return text if text.endswith("\n") else text + "\n"


def save_catalog(catalog: polib.POFile, path: Path) -> bool:
    """Save a PO file atomically if its text changed; returns whether it was written."""
    text = serialize(catalog)
    if path.exists() and path.read_bytes() == text.encode("utf-8"):
        return False
    write_atomic(path, text)
    return True


def template_bytes(template: polib.POFile, previous: bytes | None) -> bytes:
    """The POT's bytes, keeping the previous POT-Creation-Date when nothing else changed."""
    fresh = serialize(template).encode("utf-8")
    if previous is None or "POT-Creation-Date" not in template.metadata:
        return fresh
    match = re.search(rb'"POT-Creation-Date: ([^"\\]*)\\n"', previous[:4096])
    if not match:
        return fresh
    fresh_date = template.metadata["POT-Creation-Date"]
    template.metadata["POT-Creation-Date"] = match.group(1).decode("utf-8", "replace")
    kept = serialize(template).encode("utf-8")
    template.metadata["POT-Creation-Date"] = fresh_date
    return kept if kept == previous else fresh


def save_template(template: polib.POFile, path: Path) -> bool:
    """Save a POT, keeping its POT-Creation-Date when nothing else changed."""
    previous = path.read_bytes() if path.exists() else None
    data = template_bytes(template, previous)
    if data == previous:
        return False
    write_atomic(path, data)
    return True


def compile_mo(catalog: polib.POFile) -> bytes:
    """The binary .mo for a catalog: translated, non-fuzzy messages only, as msgfmt."""
    return catalog.to_binary()
