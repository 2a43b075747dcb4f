"""What every storage module is written against, on either engine: the database, its
transactions and rows, the little SQL the engines write differently, and stored times.

SQLite (storage/sqlite_engine.py) is the embedded default: one file, one process.
PostgreSQL (storage/postgres_engine.py) is for councils whose IT already runs it, and for
more than one carebot process on one database. Both keep the same behaviour: each change
all or nothing, writers one at a time, a read seeing the last commit. The SQL is written
once, in the part of SQL both engines speak, with `?` for each value; the PostgreSQL engine
turns the `?` into its own placeholders. Times are kept as fixed-width UTC text on both,
so they sort and compare the same way.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

Params = Sequence[Any] | dict[str, Any]
Statement = tuple[str, Params]

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class Row(Protocol):
    """A row read back: by position or by column name, as sqlite3.Row reads."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> list[str]: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...


def to_db_time(moment: datetime) -> str:
    """A UTC, fixed-width text form of an aware datetime, so times sort as text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored: give a time zone")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def from_db_time(text: str) -> datetime:
    """The aware datetime `to_db_time` wrote (fromisoformat: 35 times quicker than
    strptime, which a report over 10,000 open issues feels)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"a stored time without its zone: {text!r}")
    return moment


def storable(text: str) -> str:
    """`text` as a database can keep it: a lone surrogate (half of an emoji, which some
    apps send) becomes U+FFFD instead of failing the write, and a NUL (which PostgreSQL's
    text cannot hold) becomes U+FFFD too; everything else is kept as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text.replace("\x00", "\ufffd")


def maybe_time(text: str | None) -> datetime | None:
    return None if text is None else from_db_time(text)


def placeholders(count: int) -> str:
    """`?, ?, …` for the values of an `IN (…)` list, so that each value is looked up
    through the index. None is `NULL`, which nothing equals: SQLite matches nothing with
    an empty list, and PostgreSQL refuses one."""
    return ", ".join("?" * count) if count else "NULL"


def is_postgresql(database: Path | str) -> bool:
    """Whether a `database` setting names a PostgreSQL server rather than a SQLite file
    (the settings keep a file as a Path, and an address as text)."""
    return isinstance(database, str) and database.startswith(("postgresql://", "postgres://"))


class Dialect(abc.ABC):
    """The little SQL the two engines write differently: arithmetic on stored times, and
    a join whose order the planner must keep."""

    # SQLite's planner keeps the tables of a CROSS JOIN in the order written (its own
    # way to say which index to walk first); PostgreSQL plans a plain JOIN well.
    join_in_order: str

    @abc.abstractmethod
    def milliseconds_between(self, later: str, earlier: str) -> str:
        """SQL for the whole milliseconds from `earlier` to `later` (stored times)."""

    @abc.abstractmethod
    def weeks_between(self, later: str, earlier: str) -> str:
        """SQL for the whole weeks from `earlier` to `later`, counted down (0 to 6 days
        is week 0)."""


class Transaction(abc.ABC):
    """Statements run inside one transaction, with no other writer between them."""

    dialect: Dialect

    @abc.abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; how many rows it changed."""

    @abc.abstractmethod
    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT into a table keyed by `id`; the id of the row it made."""

    @abc.abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    @abc.abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None


class Database(abc.ABC):
    """An open carebot database. Open it with `open_database`."""

    engine: str  # "sqlite" or "postgresql"
    where: str  # the file or server, as an admin would recognise it (never a password)
    dialect: Dialect
    # What the engine raises when it cannot write just now (a full disk, a lock held too
    # long, a server gone): work that can go on without writing catches these.
    write_faults: tuple[type[Exception], ...]

    @abc.abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """All or nothing: commits on success, rolls back on any exception."""

    @abc.abstractmethod
    async def together(self, *statements: Statement) -> list[list[Row]]:
        """Statements that must all happen or none, in as few trips as the engine allows.
        One that depends on the one before says so in its SQL (`WHERE changes() = 1`:
        only if that one changed a row). Returns each statement's rows (from RETURNING)."""

    @abc.abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Rows as of the last commit, without waiting for any writer."""

    @abc.abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement that changes something, on its own, all or nothing. Returns how
        many rows it changed."""

    @abc.abstractmethod
    async def returning(self, sql: str, params: Params = ()) -> list[Row]:
        """One INSERT, UPDATE or DELETE … RETURNING on its own: what it wrote."""

    @abc.abstractmethod
    async def trace(self, statements: Callable[[str], None] | None) -> None:
        """Hear every statement run from now on (None: stop). For tests that check how
        queries are planned; never on in the bot, as statements carry people's words."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    def files_not_on_disk(self) -> list[Path]:
        """The database's files this process opened that are no longer the files of those
        names on disk (deleted or replaced under it). Only a file database has any."""
        return []

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]
