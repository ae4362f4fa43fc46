"""The machine-translation cache: every answer a service gave, so nothing is paid for twice.

One SQLite file in the project's cache folder (``machine-translations.sqlite3``),
keyed by provider, source language, target language, the message context the
text was sent with (msgctxt, for the services that are told it; empty for the
others) and the exact text sent.
It is derived data: deleting it only means the next run asks the services
again. A cache file that is damaged or from another version is set aside and
started afresh, never an error.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .. import clock
from ..stores import open_store

CACHE_FILE = "machine-translations.sqlite3"
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    provider    TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    context     TEXT NOT NULL,
    text        TEXT NOT NULL,
    translation TEXT NOT NULL,
    received    TEXT NOT NULL,
    PRIMARY KEY (provider, source_lang, target_lang, context, text)
) WITHOUT ROWID
"""
# Version 1 had no context: its answers were sent without one, and are kept (they were paid for).
_FROM_V1 = (
    "ALTER TABLE translations RENAME TO translations_v1",
    _SCHEMA,
    "INSERT OR IGNORE INTO translations SELECT provider, source_lang, target_lang, '', text, translation, received FROM translations_v1",
    "DROP TABLE translations_v1",
)


class TranslationCache:
    """A persistent map ``(provider, source, target, text) → translation``.

    Safe to share between the threads of one run; every answer is committed as
    it is stored, so an interrupted (even killed) run keeps what it received.
    """

    def __init__(self, folder: Path):
        self.path = Path(folder) / CACHE_FILE
        self._lock = threading.Lock()
        self._db = open_store(self.path, SCHEMA_VERSION, [_SCHEMA], {1: _FROM_V1}, wal=True, threads=True)

    def get(self, provider: str, source: str, target: str, text: str, context: str = "") -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT translation FROM translations WHERE provider = ? AND source_lang = ? AND target_lang = ? "
                "AND context = ? AND text = ?",
                (provider, source, target, context, text),
            ).fetchone()
        return None if row is None else row[0]

    def put(self, provider: str, source: str, target: str, text: str, translation: str, context: str = "") -> None:
        received = clock.now().isoformat(timespec="seconds")
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?)",
                (provider, source, target, context, text, translation, received),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "TranslationCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
