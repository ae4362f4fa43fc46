"""Opening the SQLite files of the cache folder, by one rule.

locflow keeps three stores, all derived data that may be deleted at any time:
the step state (``state.sqlite3``), the translation-memory index
(``memory-index.sqlite3``) and the machine-translation cache
(``machine-translations.sqlite3``). Each is opened here: its version is
SQLite's ``user_version``; a store of another version is migrated when the
store says how (the MT cache keeps answers that were paid for) and otherwise
emptied and made again; a file that is not a database (damaged, truncated)
is set aside as ``<name>.damaged`` and started afresh.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path


def open_store(
    path: Path,
    version: int,
    schema: Sequence[str],
    migrations: dict[int, Sequence[str]] | None = None,
    *,
    wal: bool = False,
    threads: bool = False,
) -> sqlite3.Connection:
    """A connection to the store at ``path`` at ``version`` (see the module's rule).

    ``schema``: the statements that create the store (``CREATE TABLE ...``);
    ``migrations``: for an older version, the statements that bring it to
    ``version``. Transactions are explicit (``BEGIN IMMEDIATE``), so two runs
    opening a store at once wait for each other."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open(path, version, schema, migrations or {}, wal, threads)
    except sqlite3.DatabaseError:
        try:
            path.replace(path.with_name(path.name + ".damaged"))
        except OSError:
            path.unlink(missing_ok=True)
        return _open(path, version, schema, migrations or {}, wal, threads)


def _open(path: Path, version: int, schema, migrations, wal: bool, threads: bool) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=not threads)
    try:
        current = db.execute("PRAGMA user_version").fetchone()[0]
        if current != version:
            db.execute("BEGIN IMMEDIATE")
            current = db.execute("PRAGMA user_version").fetchone()[0]  # another run may have done it meanwhile
            if current != version:
                if current in migrations:
                    for statement in migrations[current]:
                        db.execute(statement)
                else:
                    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                    for table in tables:
                        db.execute(f'DROP TABLE IF EXISTS "{table}"')
                    for statement in schema:
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {int(version)}")
            db.execute("COMMIT")
        if wal:
            db.execute("PRAGMA journal_mode = WAL")
            # Each write is committed as it happens; WAL with synchronous=NORMAL keeps a
            # commit cheap, and every committed write survives the process being killed.
            db.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db
