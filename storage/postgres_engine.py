"""carebot on PostgreSQL: a pool of connections, writers one at a time, migrations.

psycopg 3 (not asyncpg): it is typed throughout, so `mypy --strict` checks the calls; it
sends a Python str as a value of unknown type, which PostgreSQL reads as the column's
own, as SQLite does, so the same SQL serves both engines; and it is the driver most
PostgreSQL users already run (Daniele Varrazzo's, with the PostgreSQL community).

Writers take turns, as on SQLite: within this process an asyncio lock (so a writer
waiting its turn holds no connection), and across every process on the database a
transaction-level advisory lock. What the storage modules do inside one transaction (read
an invite, then mark it used) therefore sees no other writer in between, whichever of
several carebot processes runs it. Reads take no lock: each sees the last commit.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from carebot.storage.engine_api import (
    Database,
    Dialect,
    Params,
    Row,
    Statement,
    Transaction,
    to_db_time,
)
from carebot.storage.schema import migrations

if TYPE_CHECKING:  # psycopg is loaded only to open a PostgreSQL database (23 MB more, 0.3 s)
    from psycopg import AsyncConnection, AsyncCursor
    from psycopg.rows import RowMaker
    from psycopg_pool import AsyncConnectionPool

# The advisory lock every writer takes, per transaction (so a crash lets it go): its first
# key says it is carebot's writers' ("cw"), its second which schema's.
WRITERS = 0x6377
_TAKE_TURN = "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))"
_CHANGES = re.compile(r"\bchanges\(\)", re.IGNORECASE)
_PIECES = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?\d*|%")


class PgRow:
    """A row by position or by column name, as sqlite3.Row is read."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: tuple[Any, ...], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str, /) -> Any:
        return self._values[self._index[key] if isinstance(key, str) else key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        return self._values == (other._values if isinstance(other, PgRow) else other)

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"PgRow({self._values!r})"


def _rows(cursor: AsyncCursor[Any]) -> RowMaker[PgRow]:
    index: dict[str, int] = {}
    for position, column in enumerate(cursor.description or ()):
        index.setdefault(column.name, position)  # the first of two same names, as SQLite

    def row(values: Sequence[Any]) -> PgRow:
        return PgRow(tuple(values), index)
    return row


@lru_cache(maxsize=4096)
def in_postgresql(sql: str) -> tuple[str, tuple[int, ...] | None]:
    """`sql` as psycopg takes it, and which value goes to each of its placeholders (None:
    each in turn, as given): each `?` outside quotes and comments becomes `%s` (SQLite's
    numbered `?1` too, its value repeated where it is used again), and each `%` is
    doubled so that psycopg keeps it."""
    order: list[int] = []

    def piece(found: re.Match[str]) -> str:
        text = found.group(0)
        if text.startswith("?"):
            order.append(int(text[1:]) - 1 if len(text) > 1 else len(order))
            return "%s"
        return text.replace("%", "%%")
    query = _PIECES.sub(piece, sql)
    return query, None if order == list(range(len(order))) else tuple(order)


def _query(sql: str, params: Params) -> tuple[str, Params | None]:
    """What psycopg is given: with no values it reads the SQL as it is, % and all."""
    if not params:
        return sql, None
    query, order = in_postgresql(sql)
    if order is None or isinstance(params, dict):
        return query, params
    return query, [params[i] for i in order]


def _with_changes(sql: str, changed: int) -> str:
    """SQLite's changes() (the rows the statement before changed), as that number."""
    return _CHANGES.sub(str(changed), sql) if "changes()" in sql else sql


class PostgresDialect(Dialect):
    join_in_order = "JOIN"

    def milliseconds_between(self, later: str, earlier: str) -> str:
        return (f"round(EXTRACT(EPOCH FROM (CAST({later} AS timestamptz) "
                f"- CAST({earlier} AS timestamptz))) * 1000)")

    def weeks_between(self, later: str, earlier: str) -> str:
        return (f"CAST(floor(EXTRACT(EPOCH FROM (CAST({later} AS timestamptz) "
                f"- CAST({earlier} AS timestamptz))) / 604800) AS BIGINT)")


class PostgresTransaction(Transaction):
    dialect = PostgresDialect()

    def __init__(self, conn: AsyncConnection[PgRow], heard: Callable[[str], None] | None,
                 ) -> None:
        self._conn = conn
        self._heard = heard
        self._changed = 0

    async def _run(self, sql: str, params: Params) -> AsyncCursor[PgRow]:
        if self._heard is not None:
            self._heard(sql)
        cursor = await self._conn.execute(*_query(_with_changes(sql, self._changed), params))
        self._changed = max(cursor.rowcount, 0)
        return cursor

    async def execute(self, sql: str, params: Params = ()) -> int:
        return (await self._run(sql, params)).rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        made = await (await self._run(f"{sql} RETURNING id", params)).fetchone()
        if made is None:
            raise RuntimeError("insert returned no row id")
        return int(made[0])

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        cursor = await self._run(sql, params)
        return list(await cursor.fetchall()) if cursor.description else []

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        if self._heard is not None:
            self._heard(sql)
        query, order = in_postgresql(sql)
        if order is not None:
            raise ValueError("executemany takes each value in turn: no numbered ?1")
        async with self._conn.cursor() as cursor:
            await cursor.executemany(query, list(rows))


class PostgresDatabase(Database):
    """An open PostgreSQL database, shared with any other carebot process on it."""

    engine = "postgresql"
    dialect = PostgresTransaction.dialect

    def __init__(self, pool: AsyncConnectionPool[AsyncConnection[PgRow]], where: str) -> None:
        import psycopg
        self.write_faults = (psycopg.OperationalError,)
        self._pool = pool
        self._writer = asyncio.Lock()
        self._heard: Callable[[str], None] | None = None
        self.where = where

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._writer, self._pool.connection() as conn, conn.transaction():
            await conn.execute(_TAKE_TURN, (WRITERS,))
            yield PostgresTransaction(conn, self._heard)

    async def together(self, *statements: Statement) -> list[list[Row]]:
        async with self.transaction() as tx:
            return [await tx.fetchall(sql, params) for sql, params in statements]

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        if self._heard is not None:
            self._heard(sql)
        async with self._pool.connection() as conn:
            cursor = await conn.execute(*_query(sql, params))
            return list(await cursor.fetchall()) if cursor.description else []

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def returning(self, sql: str, params: Params = ()) -> list[Row]:
        async with self.transaction() as tx:
            return await tx.fetchall(sql, params)

    async def trace(self, statements: Callable[[str], None] | None) -> None:
        self._heard = statements

    async def close(self) -> None:
        await self._pool.close()


def shown_address(address: str) -> str:
    """The server and database an address names, for logs and messages: no password."""
    from psycopg.conninfo import conninfo_to_dict
    parts = conninfo_to_dict(address)
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"postgresql://{host}:{port}/{parts.get('dbname') or ''}"


async def _apply_migrations(conn: AsyncConnection[PgRow]) -> list[str]:
    """Every migration not yet applied, in one transaction, holding the writers' lock: two
    processes starting at once do not both migrate."""
    applied = []
    async with conn.transaction():
        await conn.execute(_TAKE_TURN, (WRITERS,))
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        cursor = await conn.execute("SELECT version FROM schema_migrations")
        done = {int(row[0]) for row in await cursor.fetchall()}
        for number, name, sql in migrations("postgresql"):
            if number in done:
                continue
            await conn.execute(sql.encode("utf-8"))  # as written: no placeholders in it
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                (number, name, to_db_time(datetime.now(UTC))))
            applied.append(name)
    return applied


async def _set_up(conn: AsyncConnection[PgRow]) -> None:
    conn.row_factory = _rows


async def open_postgresql(address: str, *, connections: int = 8) -> PostgresDatabase:
    """Connect to `address` (a postgresql:// address, or a libpq connection string) and
    bring its schema up to date."""
    from psycopg_pool import AsyncConnectionPool
    pool: AsyncConnectionPool[AsyncConnection[PgRow]] = AsyncConnectionPool(
        address, min_size=2, max_size=connections, open=False, configure=_set_up,
        kwargs={"autocommit": True}, name="carebot")
    await pool.open(wait=True, timeout=30)
    try:
        async with pool.connection() as conn:
            await _apply_migrations(conn)
    except BaseException:
        await pool.close()
        raise
    return PostgresDatabase(pool, shown_address(address))


def schema_version_at(address: str) -> int | None:
    """The schema a PostgreSQL database is at, read without changing anything: None if
    carebot has never run on it. Raises psycopg.Error if it cannot be reached."""
    import psycopg
    with psycopg.connect(address, connect_timeout=10) as conn:
        made = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        if not (made and made[0]):
            return None
        found = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
                             ).fetchone()
        return int(found[0]) if found else 0


def in_schema(address: str, schema: str) -> str:
    """`address`, working in `schema` (a schema of the database it names) rather than in
    the default one."""
    from urllib.parse import quote
    joiner = "&" if "?" in address else "?"
    return f"{address}{joiner}options={quote(f'-csearch_path={schema}')}"


def emptied_schema(address: str, schema: str) -> str:
    """`schema` made anew on the server (dropped first, with everything in it, if it is
    there), and the address that works in it: for a demo or a test, which start from
    nothing. Never used on a council's own schema."""
    import psycopg
    from psycopg import sql
    with psycopg.connect(address, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    return in_schema(address, schema)
