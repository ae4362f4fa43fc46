"""What changed since the last run: file fingerprints kept in the cache folder.

Each step (extract, update, check, build) records in
``<cache-dir>/state.sqlite3``, per unit of work (an article, a template and
catalog pair, a catalog, an article in one language), the fingerprints of the
files it read and wrote and a *salt* (the locflow version and the settings
that shape the result). A later run skips a unit only when
every recorded file still has the same fingerprint and the salt is the same.

A fingerprint is the file's size, mtime, ctime and inode, plus a BLAKE2 hash of
its bytes. The stat fields decide quickly; when any of them differs the hash
decides (so ``touch`` or a ``git checkout`` of the same bytes costs a hash,
never the work). A file written so recently that a same-size edit in the same
clock tick could go unseen ("racy", as git calls it) is always hashed.

The state is derived data: deleting it (or finding it damaged) only makes the
next run do all the work again. It is written in one transaction, after the
files it describes, so a run killed at any point can never leave a record of
work that is not on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .files import fault_point
from .stores import open_store

SCHEMA_VERSION = 4
# A file modified less than this long before it was fingerprinted may be edited
# again within the same timestamp tick without its stat changing (coarse kernel
# clocks tick every few ms; FAT has 2 s): such a fingerprint is checked by hash.
RACY_NS = 2_000_000_000


def file_hash(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def _stat_key(st: os.stat_result) -> str:
    return f"{st.st_size}.{st.st_mtime_ns}.{st.st_ctime_ns}.{st.st_ino}"


def make_fingerprint(st: os.stat_result, digest: str) -> str:
    """``size.mtime.ctime.inode:hash`` (``~`` at the end when racy): one short
    string, so the state of a big site stays small in memory."""
    racy = time.time_ns() - st.st_mtime_ns < RACY_NS
    return f"{_stat_key(st)}:{digest}{'~' if racy else ''}"


def fingerprint(path: Path) -> str | None:
    """The fingerprint of a file, or None if it does not exist."""
    try:
        st = path.stat()
        digest = file_hash(path)
    except FileNotFoundError:
        return None
    return make_fingerprint(st, digest)


def matches(path: Path | str, recorded: str | None, st: os.stat_result | None = None) -> tuple[bool, str | None]:
    """Whether ``path`` still has the ``recorded`` fingerprint, and a refreshed
    fingerprint to store when it matched by hash (None when nothing to refresh)."""
    if st is None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return recorded is None, None
    if not isinstance(recorded, str) or ":" not in recorded:
        return False, None
    stat_part, _, digest = recorded.partition(":")
    racy = digest.endswith("~")
    if not racy and stat_part == _stat_key(st):
        return True, None
    try:
        current = file_hash(Path(path))
    except FileNotFoundError:
        return False, None
    if current != digest.rstrip("~"):
        return False, None
    return True, make_fingerprint(st, current)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint_of(st: os.stat_result, data: bytes) -> str:
    return make_fingerprint(st, digest(data))


def read_fingerprinted(path: Path) -> tuple[str, bytes]:
    """A file's bytes and the fingerprint of exactly those bytes (stat taken first)."""
    from .po import read_bytes

    try:
        st = path.stat()
    except OSError:
        st = None
    data = read_bytes(path)  # names the file when it cannot be read
    return fingerprint_of(st or path.stat(), data), data


def settings_salt(*parts: Any) -> str:
    """A short digest of everything (besides the files) that shapes a step's result."""
    text = json.dumps([__version__, *parts], sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class Record:
    salt: str
    files: dict[str, str | None]
    payload: Any = None


class StepState:
    """The fingerprints one step recorded, by unit key, in a SQLite file in the
    cache folder (``state.sqlite3``). Units are looked up one at a time, so
    memory does not grow with the site, and :meth:`save` writes only the units
    that changed, in one transaction: a run killed while saving leaves the old
    state or the new one (SQLite's journal), never half of one."""

    def __init__(self, cache_dir: Path, step: str, root: Path | None = None):
        self.path = cache_dir / "state.sqlite3"
        # Files are named relative to the project, so a copied project (with its
        # cache) never takes the original's files for its own.
        self.root = (root or cache_dir.parent).resolve()
        self._root = str(self.root)
        self._root_prefix = os.path.join(self._root, "")
        # Taken once per run, before the step writes anything: a file shared by
        # many units (a template, the manifest) is looked at once.
        self._stats: dict[str, os.stat_result] = {}
        self.step = step
        self.pending: dict[str, Record | None] = {}
        self._preloaded: dict[str, tuple] | None = None
        self._db: sqlite3.Connection | None = None
        try:
            if self.path.exists():
                self._db = self._connect()
        except sqlite3.Error:
            self._db = None  # damaged: it is only a cache

    def _connect(self) -> sqlite3.Connection:
        return open_store(self.path, SCHEMA_VERSION, [
            "CREATE TABLE units (step TEXT, key TEXT, salt TEXT, files TEXT, payload TEXT, PRIMARY KEY (step, key))",
        ])

    def preload(self) -> None:
        """Read every record of this step at once (for a step that looks them all up)."""
        if self._db is None:
            return
        try:
            rows = self._db.execute("SELECT key, salt, files, payload FROM units WHERE step = ?", (self.step,)).fetchall()
        except sqlite3.Error:
            return
        self._preloaded = {key: (salt, files, payload) for key, salt, files, payload in rows}

    def _load(self, key: str) -> Record | None:
        if key in self.pending:
            return self.pending[key]
        preloaded = self._preloaded
        if preloaded is not None:
            row = preloaded.get(key)
            if row is None:
                return None
            try:
                return Record(row[0], json.loads(row[1]), json.loads(row[2]) if row[2] else None)
            except ValueError:
                return None
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT salt, files, payload FROM units WHERE step = ? AND key = ?", (self.step, key)).fetchone()
            if row is None:
                return None
            return Record(row[0], json.loads(row[1]), json.loads(row[2]) if row[2] else None)
        except (sqlite3.Error, ValueError):
            return None

    def fresh(self, key: str, salt: str) -> Record | None:
        """The record of ``key`` if its salt and every file it names are unchanged."""
        preloaded = self._preloaded
        if preloaded is not None and key not in self.pending:
            row = preloaded.get(key)
            if row is None or row[0] != salt:
                return None  # told apart before decoding anything
        record = self._load(key)
        if record is None or record.salt != salt or not isinstance(record.files, dict):
            return None
        refreshed: dict[str, str] = {}
        stats = self._stats
        for name, recorded in record.files.items():
            path = os.path.join(self._root, name)
            st = stats.get(path)
            if st is None:
                if len(stats) > 256:
                    stats.clear()  # bounded: shared files are looked up close together
                try:
                    st = os.stat(path)
                except FileNotFoundError:
                    if recorded is None:
                        continue
                    return None
                stats[path] = st
            same, newer = matches(path, recorded, st)
            if not same:
                return None
            if newer is not None:
                refreshed[name] = newer
        if refreshed:
            record.files.update(refreshed)
            self.pending[key] = record
        return record

    def record(self, key: str, salt: str, files: Iterable[Path], payload: Any = None) -> None:
        """Remember ``files`` as they are now (call it after writing them)."""
        self.pending[key] = Record(salt, {self.name(path): fingerprint(path) for path in files}, payload)

    def put(self, key: str, salt: str, files: dict[str, str | None], payload: Any = None) -> None:
        """Remember fingerprints taken by the caller (of the bytes it read or wrote)."""
        self.pending[key] = Record(salt, {self.name(Path(name)): fp for name, fp in files.items()}, payload)
        if len(self.pending) >= 1000:
            self.save()  # the files are in place already: keep memory flat on a big site

    def name(self, path: Path) -> str:
        """How a file is named in the state: relative to the project when inside it."""
        # String operations, not pathlib: this runs for every unit of every step.
        absolute = os.path.abspath(path)
        if absolute == self._root:
            return "."
        if absolute.startswith(self._root_prefix):
            return absolute[len(self._root_prefix):].replace(os.sep, "/")
        return str(path)

    def forget(self, key: str) -> None:
        self.pending[key] = None

    def save(self) -> None:
        """Write the units that changed, in one transaction. Failing to write a
        cache is never an error: the next run just does the work again."""
        if not self.pending:
            return
        rows = [
            (self.step, key, r.salt, json.dumps(r.files, separators=(",", ":")),
             None if r.payload is None else json.dumps(r.payload, ensure_ascii=False, separators=(",", ":")))
            for key, r in self.pending.items()
            if r is not None
        ]
        gone = [(self.step, key) for key, r in self.pending.items() if r is None]
        for attempt in (1, 2):
            try:
                if self._db is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._db = self._connect()
                fault_point("state", self.path)
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?, ?)", rows)
                self._db.executemany("DELETE FROM units WHERE step = ? AND key = ?", gone)
                self._db.execute("COMMIT")
                self.pending.clear()
                return
            except sqlite3.OperationalError:
                return  # locked for too long or read-only: the next run redoes the work
            except sqlite3.DatabaseError:
                self._discard()  # not a database (damaged): start the cache afresh, once
            except OSError:
                return

    def _discard(self) -> None:
        try:
            if self._db is not None:
                self._db.close()
        except sqlite3.Error:
            pass
        self._db = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except OSError:
                pass
