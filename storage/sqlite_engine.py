"""carebot on SQLite: WAL, foreign keys, migrations, and transactions.

Two connections, each with its aiosqlite worker thread. Every change goes through the
writer: two coroutines sharing it would otherwise interleave inside each other's
transactions, so a lock makes each transaction a unit, and a single statement outside one
waits while a transaction is open. Reads outside a transaction go through the reader,
which WAL lets read the last commit while a transaction is open on the writer, so a read
never waits for the lock (with thirty people answering at once the lock was held 88 % of
the time, issue 14). Changes on the busiest paths go to the writer's thread in one trip
(`execute`, `returning`, `together`), so they hold nothing while they wait.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import aiosqlite

from carebot.storage.backup import backup_before_upgrade
from carebot.storage.engine_api import (
    Database,
    Dialect,
    Params,
    Row,
    Statement,
    Transaction,
    to_db_time,
)
from carebot.storage.private_files import database_files_private, private_folder
from carebot.storage.schema import migrations

T = TypeVar("T")
A = TypeVar("A")


async def _fetchall(conn: aiosqlite.Connection, sql: str, params: Params) -> list[Row]:
    """Every row in one trip to the database's thread (a cursor's execute, fetch and
    close are three)."""
    return list(await conn.execute_fetchall(sql, params))


def _all_or_nothing(conn: sqlite3.Connection,
                    statements: Sequence[Statement]) -> list[list[Row]]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = [conn.execute(sql, params).fetchall() for sql, params in statements]
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return rows


async def _in_thread(conn: aiosqlite.Connection, work: Callable[[sqlite3.Connection, A], T],
                     argument: A) -> T:
    """`work(connection, argument)` on the connection's own thread, in one trip.

    aiosqlite has no public way to run a function there. It has queued every call
    through `_execute` and kept the sqlite3 connection as `_conn` since 2018 (SQLAlchemy's
    aiosqlite dialect reaches in the same way); pyproject.toml allows only the versions
    tested, and tests/storage/test_db.py fails first if they change."""
    raw: sqlite3.Connection = conn._conn
    result: T = await conn._execute(work, raw, argument)  # type: ignore[no-untyped-call]
    return result


class SqliteDialect(Dialect):
    join_in_order = "CROSS JOIN"

    def milliseconds_between(self, later: str, earlier: str) -> str:
        # Julian days as SQLite holds them are exact to well under a millisecond.
        return f"round((julianday({later}) - julianday({earlier})) * 86400000)"

    def weeks_between(self, later: str, earlier: str) -> str:
        return f"CAST((julianday({later}) - julianday({earlier})) / 7 AS INTEGER)"


class SqliteTransaction(Transaction):
    """Statements run inside one `BEGIN IMMEDIATE … COMMIT`."""

    dialect = SqliteDialect()

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        if cursor.lastrowid is None:
            raise RuntimeError("insert returned no row id")
        return cursor.lastrowid

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return await _fetchall(self._conn, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)


class SqliteDatabase(Database):
    """An open SQLite database file."""

    engine = "sqlite"
    dialect = SqliteTransaction.dialect
    write_faults = (sqlite3.OperationalError,)

    def __init__(self, conn: aiosqlite.Connection, reader: aiosqlite.Connection,
                 path: Path) -> None:
        self.where = str(path)
        self._conn = conn
        self._reader = reader
        self._lock = asyncio.Lock()
        self.path = path
        self._opened = {name: _identity(name) for name in _files_of(path)}

    def files_not_on_disk(self) -> list[Path]:
        """The database's files this process opened that are no longer the files of those
        names on disk (deleted or replaced under it): what it writes to them, nobody else
        reads, and it is lost when the process ends."""
        return [name for name, opened in self._opened.items() if _identity(name) != opened]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """All or nothing: commits on success, rolls back on any exception."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTransaction(self._conn)
                await self._conn.commit()
            except BaseException:
                await self._conn.rollback()  # also if COMMIT failed: none is left open
                raise

    async def together(self, *statements: Statement) -> list[list[Row]]:
        """Statements that must all happen or none, in one trip to the writer's thread:
        BEGIN, each in turn, then COMMIT, or ROLLBACK if one failed, with nothing between
        (`transaction()` takes a trip for each and holds the writer's lock across them:
        with thirty people answering at once, a write then waited 30 ms, issue 14). As
        the statements run without coming back, one that depends on the one before says
        so in its SQL (`WHERE changes() = 1`: only if that one changed a row). Returns
        each statement's rows (from RETURNING)."""
        return await self._alone(lambda: _in_thread(self._conn, _all_or_nothing, statements))

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Rows as of the last commit (through the reader: no lock)."""
        return await _fetchall(self._reader, sql, params)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement that changes something, on its own: SQLite makes a single
        statement all or nothing, so it needs no BEGIN and COMMIT (two trips to the
        database's thread fewer). Returns how many rows it changed."""
        cursor = await self._alone(lambda: self._conn.execute(sql, params))
        return cursor.rowcount

    async def returning(self, sql: str, params: Params = ()) -> list[Row]:
        """One INSERT, UPDATE or DELETE … RETURNING on its own: what it wrote, read back
        in the same trip."""
        return await self._alone(lambda: _fetchall(self._conn, sql, params))

    async def _alone(self, statement: Callable[[], Awaitable[T]]) -> T:
        """Run one statement outside any transaction. With no transaction open it goes
        straight into the writer's queue, which runs in order: it cannot land inside a
        transaction begun after it, and it does not wait for the lock. With one open, it
        waits for that to end."""
        if not self._lock.locked():
            return await statement()
        async with self._lock:
            return await statement()

    async def trace(self, statements: Callable[[str], None] | None) -> None:
        """Hear every statement run from now on (None: stop). For tests that check how
        queries are planned; never on in the bot, as statements carry people's words."""
        for conn in (self._conn, self._reader):
            await conn.set_trace_callback(statements)  # type: ignore[arg-type]  # None: off

    async def close(self) -> None:
        async with self._lock:
            await self._reader.close()
            await self._conn.close()


async def _apply_migrations(conn: aiosqlite.Connection) -> list[str]:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    await conn.commit()
    async with conn.execute("SELECT version FROM schema_migrations") as cursor:
        done = {row[0] for row in await cursor.fetchall()}
    applied = []
    # Off while migrating, so that a migration can rebuild a table others refer to (as
    # SQLite advises); every reference is checked before each migration commits.
    await conn.execute("PRAGMA foreign_keys = OFF")
    for number, name, sql in migrations("sqlite"):
        if number in done:
            continue
        # executescript commits what is pending first, then runs the file; opening our
        # own transaction at its head makes each migration all-or-nothing.
        try:
            await conn.executescript(f"BEGIN;\n{sql}")
            async with conn.execute("PRAGMA foreign_key_check") as cursor:
                if broken := list(await cursor.fetchall()):
                    raise RuntimeError(f"{name} leaves rows pointing at nothing: {broken[:3]}")
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (number, name, to_db_time(datetime.now(UTC))),
            )
            await conn.commit()
        except Exception:
            await conn.rollback()
            raise
        applied.append(name)
    return applied


async def open_sqlite(path: Path, backups: Path | None = None) -> SqliteDatabase:
    """Open (or create) the database file and bring its schema up to date, backing it up
    first (in `backups`, by default a "backups" folder beside it) if there is a schema to
    change: an upgrade that goes wrong can then be undone."""
    private_folder(path.parent)
    await asyncio.to_thread(backup_before_upgrade, path, backups or path.parent / "backups",
                            datetime.now(UTC), len(migrations("sqlite")))
    database_files_private(path)
    opened: list[aiosqlite.Connection] = []
    try:
        opened.append(conn := await _connect(path))
        await conn.execute("PRAGMA busy_timeout = 5000")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await _apply_migrations(conn)
        await conn.execute("PRAGMA foreign_keys = ON")
        opened.append(reader := await _connect(path))
        await reader.execute("PRAGMA busy_timeout = 5000")
        await reader.execute("PRAGMA query_only = ON")  # it only ever reads
        await reader.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        for connection in opened:  # or its thread would keep the process from exiting
            await connection.close()
        raise
    database_files_private(path)  # the write-ahead log and shared memory now exist too
    return SqliteDatabase(conn, reader, path)


def _files_of(database: Path) -> tuple[Path, Path]:
    """The database and its write-ahead log, which every open connection keeps."""
    return database, database.with_name(database.name + "-wal")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


async def _connect(path: Path) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    return conn

