"""Which engine the tests run on, and a fresh, empty database on it for each test.

`make test` runs on SQLite: a new file in the test's own folder. `make test-postgres` sets
CAREBOT_TEST_ENGINE=postgresql: each test then gets its own schema on the local server
(CAREBOT_TEST_POSTGRESQL, by default postgresql://127.0.0.1/test), so tests never see
each other's rows. Making a schema's tables takes a quarter of a second, so once a test
module is over the schemas its tests used are emptied (every row deleted, every counter
back to 1) and handed to the tests that follow; all are dropped when the run ends. A test
of something only SQLite has (its files, its query planner, its backups) is marked
`sqlite_only`.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest

from carebot.settings.config import Config
from carebot.storage.postgres_engine import emptied_schema, in_postgresql, in_schema

ENGINE = os.environ.get("CAREBOT_TEST_ENGINE", "sqlite")
SERVER = os.environ.get("CAREBOT_TEST_POSTGRESQL", "postgresql://127.0.0.1/test")
ON_POSTGRESQL = ENGINE == "postgresql"
# What each engine raises when a constraint (foreign key, NOT NULL, unique) refuses a row.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)
_SCHEMA_PREFIX = "carebot_test_"
_made: list[str] = []  # every schema this run made
_in_use: list[str] = []  # handed out by fresh_database since the last recycle_used
_free: list[str] = []  # emptied, with carebot's tables, for the next fresh_database


def server_problem() -> str | None:
    """Why the PostgreSQL server cannot be used, in one line; None if it can."""
    try:
        with psycopg.connect(SERVER, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return f"PostgreSQL at {SERVER} cannot be reached: {first_line}"
    return None


def fresh_database(folder: Path, name: str = "carebot.sqlite3") -> Path | str:
    """Where a test's new database is: a file in `folder`, or a schema on the server with
    no rows (and perhaps carebot's tables already made, as opening it would make them)."""
    if not ON_POSTGRESQL:
        return folder / name
    if _free:
        schema = _free.pop()
        _in_use.append(schema)
        return in_schema(SERVER, schema)
    address = postgresql_schema()
    _in_use.append(_made[-1])
    return address


def recycle_used() -> None:
    """Empty each schema handed out since the last call, for the tests that follow: its
    rows deleted (with triggers and foreign keys held off) and its counters back to 1. A
    schema whose tables were never made is left as it is, to be dropped at the end."""
    if not _in_use:
        return
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        for schema in _in_use:
            tables = [row[0] for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_type = 'BASE TABLE' AND table_name != 'schema_migrations'",
                (schema,))]
            if not tables:
                continue
            counters = [row[0] for row in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'S'",
                (schema,))]
            conn.execute("; ".join(
                [f'DELETE FROM {schema}."{table}"' for table in tables]
                + [f'ALTER SEQUENCE {schema}."{counter}" RESTART' for counter in counters]
            ).encode())
            _free.append(schema)
    _in_use.clear()


def postgresql_schema() -> str:
    """The address of a new, empty schema on the server, whichever engine the run is on:
    skipped with the reason if there is no server (a failure in CI, where there is one)."""
    if not ON_POSTGRESQL and (problem := server_problem()) is not None:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    schema = f"{_SCHEMA_PREFIX}{secrets.token_hex(6)}"
    _made.append(schema)
    return emptied_schema(SERVER, schema)


def drop_made() -> None:
    """Drop every schema this run made."""
    if not _made:
        return
    with psycopg.connect(SERVER, autocommit=True) as conn:
        for schema in _made:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    _made.clear()
    _free.clear()
    _in_use.clear()


def file_of(config: Config) -> Path:
    """The SQLite file of a test about SQLite's files (marked `sqlite_only`)."""
    assert config.database_file is not None, "a test of SQLite's files, run on PostgreSQL"
    return config.database_file


def rows_in(database: Path | str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows read straight from a database, as a test reads it after a process it ran has
    gone (the SQL as storage writes it, `?` and all)."""
    if isinstance(database, Path):
        with sqlite3.connect(database) as conn:
            return [tuple(row) for row in conn.execute(sql, params).fetchall()]
    query, _ = in_postgresql(sql)
    with psycopg.connect(database) as conn:
        return [tuple(row) for row in conn.execute(query, params or None).fetchall()]


def folder_beside(database: Path | str) -> Path:
    """Where a bot run by a test writes its files: beside its SQLite file, or (on
    PostgreSQL, where it keeps no backups) a folder of the test run's own."""
    if isinstance(database, Path):
        return database.parent
    folder = Path(tempfile.gettempdir()) / "carebot-tests-on-postgresql"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder
