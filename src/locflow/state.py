"""What changed since the last run: file fingerprints kept in the cache folder.

Each step (extract, update, check, build) keeps one small JSON file under
``<cache-dir>/state/`` that records, per unit of work (an article, a
template/catalog pair, a catalog, an article in one language), the
fingerprints of the files it read and wrote and a *salt* (the locflow version
and the settings that shape the result). A later run skips a unit only when
every recorded file still has the same fingerprint and the salt is the same.

A fingerprint is the file's size, mtime, ctime and inode, plus a BLAKE2 hash of
its bytes. The stat fields decide quickly; when any of them differs the hash
decides (so ``touch`` or a ``git checkout`` of the same bytes costs a hash,
never the work). A file written so recently that a same-size edit in the same
clock tick could go unseen ("racy", as git calls it) is always hashed.

The state is derived data: deleting it only makes the next run do all the
work again. It is written atomically, after the files it describes, so a run
killed at any point can never leave a record of work that is not on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__

SCHEMA = "locflow.state/1"
# A file modified less than this long before it was fingerprinted may be edited
# again within the same timestamp tick without its stat changing (coarse kernel
# clocks tick every few ms; FAT has 2 s): such a fingerprint is checked by hash.
RACY_NS = 2_000_000_000


def file_hash(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def fingerprint(path: Path) -> list | None:
    """``[size, mtime_ns, ctime_ns, inode, hash, racy]`` of a file, or None if it does not exist."""
    try:
        st = path.stat()
        digest = file_hash(path)
    except FileNotFoundError:
        return None
    racy = time.time_ns() - st.st_mtime_ns < RACY_NS
    return [*_stat_key(st), digest, racy]


def matches(path: Path | str, recorded: list | None, st: os.stat_result | None = None) -> tuple[bool, list | None]:
    """Whether ``path`` still has the ``recorded`` fingerprint, and a refreshed
    fingerprint to store when it matched by hash (None when nothing to refresh)."""
    if st is None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return recorded is None, None
    if recorded is None:
        return False, None
    if _stat_key(st) == recorded[:4] and not recorded[5]:
        return True, None
    try:
        digest = file_hash(Path(path))
    except FileNotFoundError:
        return False, None
    if digest != recorded[4]:
        return False, None
    racy = time.time_ns() - st.st_mtime_ns < RACY_NS
    return True, [*_stat_key(st), digest, racy]


def settings_salt(*parts: Any) -> str:
    """A short digest of everything (besides the files) that shapes a step's result."""
    text = json.dumps([__version__, *parts], sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class Record:
    salt: str
    files: dict[str, list | None]
    payload: Any = None


class StepState:
    """The fingerprints one step recorded, by unit key. Use as a context manager
    or call :meth:`save` after the step's files are written."""

    def __init__(self, cache_dir: Path, step: str, root: Path | None = None):
        self.path = cache_dir / "state" / f"{step}.json"
        # Files are named relative to the project, so a copied project (with its
        # cache) never takes the original's files for its own.
        self.root = (root or cache_dir.parent).resolve()
        self._root = str(self.root)
        self._stats: dict[str, os.stat_result] = {}  # a file shared by many units is looked at once
        self.step = step
        self.records: dict[str, Record] = {}
        self.dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("schema") == SCHEMA:
                for key, value in data["units"].items():
                    self.records[key] = Record(value["salt"], value["files"], value.get("payload"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.records = {}  # missing or damaged: it is only a cache

    def fresh(self, key: str, salt: str) -> Record | None:
        """The record of ``key`` if its salt and every file it names are unchanged."""
        record = self.records.get(key)
        if record is None or record.salt != salt:
            return None
        refreshed: dict[str, list] = {}
        for name, recorded in record.files.items():
            path = os.path.join(self._root, name)
            st = self._stats.get(path)
            if st is None:
                try:
                    st = self._stats[path] = os.stat(path)
                except FileNotFoundError:
                    if recorded is None:
                        continue
                    return None
            same, newer = matches(path, recorded, st)
            if not same:
                return None
            if newer is not None:
                refreshed[name] = newer
        if refreshed:
            record.files.update(refreshed)
            self.dirty = True
        return record

    def record(self, key: str, salt: str, files: Iterable[Path], payload: Any = None) -> None:
        """Remember ``files`` as they are now (call it after writing them)."""
        self.records[key] = Record(salt, {self.name(path): fingerprint(path) for path in files}, payload)
        self.dirty = True

    def put(self, key: str, salt: str, files: dict[str, list | None], payload: Any = None) -> None:
        """Remember fingerprints taken by the caller (of the bytes it read or wrote)."""
        self.records[key] = Record(salt, {self.name(Path(name)): fp for name, fp in files.items()}, payload)
        self.dirty = True

    def name(self, path: Path) -> str:
        """How a file is named in the state: relative to the project when inside it."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def forget(self, key: str) -> None:
        if self.records.pop(key, None) is not None:
            self.dirty = True

    def save(self) -> None:
        """Write the state atomically if anything changed. Failing to write a
        cache is never an error: the next run just does the work again."""
        if not self.dirty:
            return
        from .catalogs import write_atomic

        data = {
            "schema": SCHEMA,
            "units": {
                key: {"salt": r.salt, "files": r.files, **({"payload": r.payload} if r.payload is not None else {})}
                for key, r in self.records.items()
            },
        }
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            self.dirty = False
        except OSError:
            pass
