"""SQLite's migrations and PostgreSQL's schema make the same database: the same tables and
columns (each NOT NULL or not, each of the matching type), the same indexes, foreign keys,
views and triggers. A migration added for one engine and not the other fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebot.storage.db import Database, open_database
from carebot.storage.schema import migrations
from tests.engines import postgresql_schema

# The same kind of value on each engine: SQLite's INTEGER is kept as a 64-bit BIGINT.
TYPES = {"INTEGER": "bigint", "TEXT": "text", "REAL": "double precision"}
# PostgreSQL's own: it numbers rows with sequences, which an id given by hand must move on
# (SQLite takes the highest id plus one), and a TRUNCATE is refused as DELETE is.
ONLY_ON_POSTGRESQL = {"checkins_ids_given", "answers_ids_given", "issues_ids_given",
                      "alerts_ids_given", "audit_events_never_emptied"}


async def _sqlite_shape(db: Database) -> dict[str, object]:
    tables = [r[0] for r in await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    columns, keys = set(), set()
    for table in tables:
        for row in await db.fetchall(f"SELECT name, type, \"notnull\", pk FROM "
                                     f"pragma_table_info('{table}')"):
            not_null = bool(row[2]) or (row[3] == 1 and row[1] != "INTEGER")
            columns.add((table, row[0], TYPES[row[1]], not_null or bool(row[3])))
        for row in await db.fetchall(f"SELECT \"from\", \"table\", \"to\" FROM "
                                     f"pragma_foreign_key_list('{table}')"):
            keys.add((table, row[0], row[1], row[2] or "id"))
    indexes = set()
    for row in await db.fetchall("SELECT name, tbl_name FROM sqlite_master WHERE type = "
                                 "'index' AND sql IS NOT NULL"):
        listed = await db.fetchall(f"SELECT name FROM pragma_index_info('{row[0]}') "
                                   "ORDER BY seqno")
        indexes.add((row[1], row[0], tuple(r[0] for r in listed)))
    named = {kind: {r[0] for r in await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = ?", (kind,))}
        for kind in ("view", "trigger")}
    return {"tables": set(tables), "columns": columns, "foreign keys": keys,
            "indexes": indexes, **named}


async def _postgresql_shape(db: Database) -> dict[str, object]:
    here = "table_schema = current_schema()"
    tables = {r[0] for r in await db.fetchall(
        f"SELECT table_name FROM information_schema.tables WHERE {here} "
        "AND table_type = 'BASE TABLE'")}
    columns = {(r[0], r[1], r[2], r[3] == "NO") for r in await db.fetchall(
        f"SELECT table_name, column_name, data_type, is_nullable FROM "
        f"information_schema.columns WHERE {here} AND table_name IN "
        f"(SELECT table_name FROM information_schema.tables WHERE {here} "
        "AND table_type = 'BASE TABLE')")}
    keys = {(r[0], r[1], r[2], r[3]) for r in await db.fetchall(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, "
        "f.attname FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace")}
    indexes = {(r[0], r[1], tuple(r[2])) for r in await db.fetchall(
        "SELECT t.relname, i.relname, ARRAY(SELECT a.attname FROM unnest(x.indkey) "
        "WITH ORDINALITY AS k(n, o) JOIN pg_attribute a ON a.attrelid = t.oid "
        "AND a.attnum = k.n ORDER BY k.o) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)")}
    views = {r[0] for r in await db.fetchall(
        f"SELECT table_name FROM information_schema.views WHERE {here}")}
    triggers = {r[0] for r in await db.fetchall(
        "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace")}
    return {"tables": tables, "columns": columns, "foreign keys": keys, "indexes": indexes,
            "view": views, "trigger": triggers - ONLY_ON_POSTGRESQL}


async def test_both_engines_make_the_same_schema(tmp_path: Path) -> None:
    assert migrations("postgresql")[-1][0] == migrations("sqlite")[-1][0]
    sqlite = await open_database(tmp_path / "carebot.sqlite3")
    postgresql = await open_database(postgresql_schema())
    try:
        on_sqlite, on_postgresql = await _sqlite_shape(sqlite), await _postgresql_shape(postgresql)
    finally:
        await sqlite.close()
        await postgresql.close()
    for part, found in on_sqlite.items():
        assert isinstance(found, set)
        assert sorted(found) == sorted(on_postgresql[part]), part  # type: ignore[call-overload]


def test_a_migration_missing_on_one_engine_is_caught() -> None:
    """The newest migration has a number on both engines: a pair, or this test fails."""
    assert {number for number, _, _ in migrations("postgresql")} <= {
        number for number, _, _ in migrations("sqlite")}
    with pytest.raises(KeyError):
        migrations("mysql")
