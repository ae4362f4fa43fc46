"""Translation memory: drafts from the translations the project already has.

The memory is every non-fuzzy translation in every catalog of the project
(``locales/<lang>/LC_MESSAGES/*.po``, obsolete entries included: they are a
translator's work too), plus the units of the TMX files in
``locales/memory/`` (what ``locflow memory import`` stores there: committed
with the catalogs, because the index is disposable). Pseudo-locale catalogs
are generated text and are left out; so are fuzzy drafts and plural messages
(a draft would need every plural form).

The memory is looked up through an index, a SQLite file in the cache folder
(``.locflow-cache/memory.sqlite3``). It is brought up to date before every
use: a file whose size and modification time are unchanged is not read; one
that changed is hashed and re-read only if its content changed; a deleted
file's units are dropped. Deleting the index is always safe.

Two draft sources use it (``[tool.locflow.prefill] sources``):

* ``memory-exact``: the same source string with the same message context
  (``msgctxt``) was translated before. A string translated differently in
  several places takes the most frequent translation.
* ``memory-near``: the most similar source string in the memory, if its
  similarity (rapidfuzz's normalized Indel ratio, 0-100, the measure msgmerge
  uses) is at least ``[tool.locflow.memory] near-threshold`` (default 75).
  The draft's comment gives the score and the matched source string, so the
  translator sees what differs.

Both write fuzzy drafts; a draft that lacks an approved glossary term of its
source says so in its comment (``glossary: Baku → Баку``).
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ..catalogs import read_catalog
from ..errors import LanguageError
from ..glossary import Term, glossary_note, glossary_path, load_glossary
from ..languages import Language, is_pseudo, normalize_code
from ..tmx import Memory, Unit, normalized, read_tmx, same_language
from ..stores import open_store
from . import BaseSource, Draft
from .settings import MEMORY_KEYS, MemorySettings, parse_memory

INDEX_FILE = "memory.sqlite3"
MEMORY_DIR = "memory"  # locales/memory/*.tmx: imported translation memories
SCHEMA_VERSION = 2
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE files (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, sha256 TEXT)",
    "CREATE TABLE units (file TEXT NOT NULL, language TEXT NOT NULL, context TEXT, source TEXT NOT NULL, target TEXT NOT NULL)",
    "CREATE INDEX units_by_source ON units (language, source)",
)
Key = tuple[str | None, str]


# ---------------------------------------------------------------------------
# Settings: [tool.locflow.memory] (parsed in drafts/settings.py)
# ---------------------------------------------------------------------------


def memory_settings(settings, options: dict | None = None) -> MemorySettings:
    """``[tool.locflow.memory]`` (parsed once, with the settings), or with per-run
    ``options`` (the same keys) over it."""
    if not options:
        return settings.section("memory")
    raw: Any = settings.extra.get("memory", {})
    return parse_memory(settings, {**raw, **options} if isinstance(raw, dict) else raw)


# ---------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A translation found in the memory."""

    context: str | None
    source: str
    target: str
    origin: str  # the file it comes from, relative to the project
    alternatives: int = 0  # how many other translations the memory has for it


@dataclass(frozen=True)
class RefreshStats:
    files: int
    read: int
    removed: int
    units: dict[str, int]  # per language


def memory_dir(settings) -> Path:
    return settings.locales_dir / MEMORY_DIR


def memory_files(settings) -> list[Path]:
    """The files the memory is made of: every language's catalogs and the imported TMX files."""
    files: list[Path] = []
    locales = settings.locales_dir
    if locales.is_dir():
        for folder in sorted(locales.iterdir()):
            if not (folder / "LC_MESSAGES").is_dir() or folder.name in ("templates", MEMORY_DIR) or is_pseudo(folder.name):
                continue
            try:
                normalize_code(folder.name)
            except LanguageError:
                continue  # not a language folder
            files.extend(sorted((folder / "LC_MESSAGES").glob("*.po")))
    tmx_dir = memory_dir(settings)
    if tmx_dir.is_dir():
        files.extend(sorted(tmx_dir.glob("*.tmx")))
    return files


class MemoryIndex:
    """The SQLite index of the memory, in the cache folder."""

    def __init__(self, settings):
        settings.section("memory")  # a bad [tool.locflow.memory] is reported whatever the command
        self.settings = settings
        self.path = settings.cache_dir / INDEX_FILE
        self._fresh = False

    # -- connection -----------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = open_store(self.path, SCHEMA_VERSION, _SCHEMA)
        source = db.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()
        if source is None or source[0] != self.settings.source_language.code:
            # Another source language: what the index holds is not this site's memory.
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM units")
            db.execute("DELETE FROM files")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('source', ?)", (self.settings.source_language.code,))
            db.execute("COMMIT")
        return db

    # -- keeping it up to date ------------------------------------------------------

    def rebuild(self) -> RefreshStats:
        """Forget everything and read every file again."""
        self.path.unlink(missing_ok=True)
        self._fresh = False
        return self.refresh()

    def refresh(self) -> RefreshStats:
        """Bring the index up to date with the files (reading only those that changed)."""
        root = self.settings.root
        current = {_relative(path, root): path for path in memory_files(self.settings)}
        read = removed = 0
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                known = {row[0]: row[1:] for row in db.execute("SELECT path, mtime_ns, size, sha256 FROM files")}
                for rel, path in current.items():
                    stat = path.stat()
                    old = known.get(rel)
                    if old is not None and old[0] == stat.st_mtime_ns and old[1] == stat.st_size:
                        continue
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                    if old is None or old[2] != digest:
                        db.execute("DELETE FROM units WHERE file = ?", (rel,))
                        db.executemany(
                            "INSERT INTO units (file, language, context, source, target) VALUES (?, ?, ?, ?, ?)",
                            ((rel, *row) for row in self._read(path)),
                        )
                        read += 1
                    db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (rel, stat.st_mtime_ns, stat.st_size, digest))
                for rel in set(known) - set(current):
                    db.execute("DELETE FROM units WHERE file = ?", (rel,))
                    db.execute("DELETE FROM files WHERE path = ?", (rel,))
                    removed += 1
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            units = dict(db.execute("SELECT language, COUNT(*) FROM units GROUP BY language ORDER BY language").fetchall())
        finally:
            db.close()
        self._fresh = True
        return RefreshStats(len(current), read, removed, units)

    def _read(self, path: Path) -> Iterable[tuple[str, str | None, str, str]]:
        if path.suffix == ".tmx":
            memory = normalized(read_tmx(path), self.settings.source_language.code)
            for unit in memory.units:
                for tag, text in unit.targets.items():
                    code = self._project_code(tag)
                    if code is not None:
                        yield code, unit.context, unit.source, text
            return
        language = normalize_code(path.parent.parent.name)
        for entry in read_catalog(path):
            if entry.msgid and not entry.msgid_plural and entry.msgstr and not entry.fuzzy:
                yield language, entry.msgctxt, entry.msgid, entry.msgstr

    def _project_code(self, tag: str) -> str | None:
        for language in self.settings.languages:
            if same_language(tag, language.code):
                return language.code
        try:
            return normalize_code(tag)
        except LanguageError:
            return None

    def _ensure_fresh(self) -> None:
        if not self._fresh:
            self.refresh()

    # -- lookups ----------------------------------------------------------------------

    def translations(self, language: str) -> dict[Key, Match]:
        """The best translation of every (context, source) in one language."""
        self._ensure_fresh()
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT context, source, target, file FROM units WHERE language = ? ORDER BY file, rowid", (language,)
            ).fetchall()
        finally:
            db.close()
        grouped: dict[Key, list[tuple[str, str]]] = defaultdict(list)
        for context, source, target, file in rows:
            grouped[(context, source)].append((target, file))
        return {key: _best(key, found) for key, found in grouped.items()}

    def languages(self) -> list[str]:
        self._ensure_fresh()
        db = self._connect()
        try:
            return [row[0] for row in db.execute("SELECT DISTINCT language FROM units ORDER BY language")]
        finally:
            db.close()


def _best(key: Key, found: list[tuple[str, str]]) -> Match:
    """The most frequent translation; ties go to catalogs before imported memories, then file order."""
    counts = Counter(target for target, _ in found)
    first_file = {}
    for target, file in found:
        first_file.setdefault(target, file)
    target = min(counts, key=lambda t: (-counts[t], first_file[t].endswith(".tmx"), first_file[t], t))
    return Match(key[0], key[1], target, first_file[target], len(counts) - 1)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------
# Draft sources
# ---------------------------------------------------------------------------


def _split(key) -> Key:
    """Draft sources take msgids or (msgctxt, msgid) keys; a bare msgid has no context."""
    return key if isinstance(key, tuple) else (None, key)


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "\\n")


class _MemorySource(BaseSource):
    name = ""

    def __init__(self, settings, config: MemorySettings):
        self.settings = settings
        self.config = config
        self.index = MemoryIndex(settings)
        self._glossaries: dict[str, list[Term]] = {}

    @classmethod
    def from_settings(cls, settings, options: dict | None = None):
        # ``options`` are the prefill run's (provider, jobs, ...): take only the memory's own.
        own = {key: value for key, value in (options or {}).items() if key in MEMORY_KEYS}
        return cls(settings, memory_settings(settings, own))

    def _glossary(self, language: Language) -> list[Term]:
        if language.code not in self._glossaries:
            self._glossaries[language.code] = load_glossary(glossary_path(self.settings.locales_dir, language.code))
        return self._glossaries[language.code]

    def _glossary_note(self, language: Language, source: str, target: str) -> str:
        return glossary_note(source, target, self._glossary(language))

    def drafts(self, language: Language, msgids: list) -> dict:
        """Drafts for the msgids (or ``(msgctxt, msgid)`` keys) the memory can translate, by key."""
        if not self.config.enabled or language.pseudo or not msgids:
            return {}
        memory = self.index.translations(language.code)
        if not memory:
            return {}
        lookup = self._lookup(language, memory)
        found = {}
        for key in msgids:
            draft = lookup(_split(key))
            if draft is not None:
                found[key] = draft
        return found

    def _lookup(self, language: Language, memory: dict[Key, Match]):
        """A function from a (msgctxt, msgid) key to its draft or None."""
        raise NotImplementedError


class ExactMemorySource(_MemorySource):
    """Draft source ``memory-exact``: the same string, in the same context, translated before."""

    name = "memory-exact"

    def _lookup(self, language, memory):
        def draft(key: Key) -> Draft | None:
            match = memory.get(key)
            if match is None:
                return None
            detail = f"exact match from {match.origin}"
            if match.alternatives:
                detail += f" ({match.alternatives} other translation{'s' if match.alternatives > 1 else ''} in the memory)"
            detail += self._glossary_note(language, key[1], match.target)
            return Draft(match.target, "memory", detail)

        return draft


class NearMemorySource(_MemorySource):
    """Draft source ``memory-near``: the most similar string in the memory, above ``near-threshold``."""

    name = "memory-near"

    def _lookup(self, language, memory):
        choices = sorted(memory, key=lambda k: (k[1], k[0] or ""))
        texts = [source for _, source in choices]

        def draft(key: Key) -> Draft | None:
            context, msgid = key
            best = process.extractOne(msgid, texts, scorer=fuzz.ratio, score_cutoff=self.config.near_threshold)
            if best is None:
                return None
            match = memory[choices[best[2]]]
            # Rounded down: a string that differs never shows as a 100% match.
            detail = f"{math.floor(best[1])}% match of: {_one_line(match.source)}"
            if match.context != context:
                detail += f" (context: {match.context or 'none'})"
            detail += f"; from {match.origin}"
            detail += self._glossary_note(language, msgid, match.target)
            return Draft(match.target, "memory", detail)

        return draft


# ---------------------------------------------------------------------------
# Import and export (TMX)
# ---------------------------------------------------------------------------


def export_memory(settings, languages: tuple[Language, ...] | None = None) -> Memory:
    """The memory (the best translation of each string per language) as a TMX :class:`Memory`."""
    index = MemoryIndex(settings)
    index.refresh()
    chosen = languages or tuple(lang for lang in settings.languages if not lang.pseudo)
    by_key: dict[Key, dict[str, str]] = defaultdict(dict)
    for language in chosen:
        for key, match in index.translations(language.code).items():
            by_key[key][language.bcp47] = match.target
    units = [Unit(source, dict(sorted(targets.items())), context) for (context, source), targets in by_key.items()]
    units.sort(key=lambda unit: (unit.source, unit.context or ""))
    return Memory(settings.source_language.bcp47, units)


@dataclass(frozen=True)
class ImportResult:
    path: Path
    status: str  # created / updated / unchanged
    units: int
    languages: list[str]


def import_memory(settings, source: Path) -> ImportResult:
    """Store the units of a TMX file in ``locales/memory/<name>.tmx`` (merged with what is there)."""
    from ..project import project_lock
    from ..tmx import TMXError, merge_units, write_tmx

    memory = read_tmx(source)
    wanted = normalized(memory, settings.source_language.code)
    if not wanted.units:
        raise TMXError(
            f"no translation units with the source language {settings.source_language.code!r} "
            f"(the file's srclang is {memory.source_language!r})",
            source,
        )
    name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in source.stem).strip("-.") or "imported"
    target = memory_dir(settings) / f"{name}.tmx"
    with project_lock(settings):
        existing = normalized(read_tmx(target), settings.source_language.code).units if target.exists() else []
        merged = Memory(settings.source_language.bcp47, merge_units(existing, wanted.units))
        existed = target.exists()
        written = write_tmx(merged, target)
    status = "unchanged" if not written else ("updated" if existed else "created")
    return ImportResult(target, status, len(wanted.units), wanted.languages())
