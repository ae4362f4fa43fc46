"""The cache folder's SQLite stores follow one rule: versioned, migrated or remade, damage set aside."""

from __future__ import annotations

import sqlite3

from locflow.stores import open_store

SCHEMA = ["CREATE TABLE things (name TEXT PRIMARY KEY)"]


def test_a_store_of_another_version_is_made_again(tmp_path):
    path = tmp_path / "cache" / "store.sqlite3"
    db = open_store(path, 1, SCHEMA)
    db.execute("INSERT INTO things VALUES ('old')")
    db.close()
    db = open_store(path, 2, ["CREATE TABLE things (name TEXT PRIMARY KEY, extra TEXT)"])
    assert db.execute("SELECT count(*) FROM things").fetchone()[0] == 0
    assert [row[1] for row in db.execute("PRAGMA table_info(things)")] == ["name", "extra"]
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_store_with_a_migration_keeps_its_rows(tmp_path):
    path = tmp_path / "store.sqlite3"
    db = open_store(path, 1, SCHEMA)
    db.execute("INSERT INTO things VALUES ('kept')")
    db.close()
    db = open_store(path, 2, ["CREATE TABLE things (name TEXT PRIMARY KEY, extra TEXT)"],
                    {1: ["ALTER TABLE things ADD COLUMN extra TEXT"]})
    assert db.execute("SELECT name FROM things").fetchall() == [("kept",)]


def test_a_damaged_store_is_set_aside_and_started_afresh(tmp_path):
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"garbage" * 200)
    db = open_store(path, 1, SCHEMA)
    db.execute("INSERT INTO things VALUES ('new')")
    assert path.with_name("store.sqlite3.damaged").exists()
    assert sqlite3.connect(path).execute("SELECT name FROM things").fetchall() == [("new",)]
