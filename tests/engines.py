"""Which engine the tests run on, and a fresh, empty database on it for each test.

`make test` runs on SQLite: a new file in the test's own folder. `make test-postgres` sets
CAREBOT_TEST_ENGINE=postgresql: each test then gets its own schema on the local server
(CAREBOT_TEST_POSTGRESQL, by default postgresql://127.0.0.1/test), dropped when the run
ends, so tests never see each other's rows. A test of something only SQLite has (its
files, its query planner, its backups) is marked `sqlite_only`.
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
from carebot.storage.postgres_engine import emptied_schema, in_postgresql

ENGINE = os.environ.get("CAREBOT_TEST_ENGINE", "sqlite")
SERVER = os.environ.get("CAREBOT_TEST_POSTGRESQL", "postgresql://127.0.0.1/test")
ON_POSTGRESQL = ENGINE == "postgresql"
# What each engine raises when a constraint (foreign key, NOT NULL, unique) refuses a row.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)
_SCHEMA_PREFIX = "carebot_test_"
_made: list[str] = []


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
    """Where a test's new database is: a file in `folder`, or a new schema on the server."""
    return postgresql_schema() if ON_POSTGRESQL else folder / name


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
