"""carebot's database: open it on the engine its setting names.

SQLite (storage/sqlite_engine.py) is the embedded default: one file, one process.
PostgreSQL (storage/postgres_engine.py) is for councils whose IT already runs it, and for
more than one carebot process on one database. Storage modules are written against
storage/engine_api.py, whose names this module also gives, so that one import serves.
"""

from __future__ import annotations

from pathlib import Path

from carebot.storage import postgres_engine, sqlite_engine
from carebot.storage.engine_api import (
    Database,
    Dialect,
    Params,
    Row,
    Statement,
    Transaction,
    from_db_time,
    is_postgresql,
    maybe_time,
    placeholders,
    storable,
    to_db_time,
)

__all__ = ["Database", "Dialect", "Params", "Row", "Statement", "Transaction", "from_db_time",
           "is_postgresql", "maybe_time", "open_database", "placeholders", "schema_version",
           "storable", "to_db_time"]


async def open_database(database: Path | str, backups: Path | None = None) -> Database:
    """Open the database `database` names (a SQLite file, created if need be, or a
    postgresql:// address) and bring its schema up to date. A SQLite file is backed up
    first (in `backups`, by default a "backups" folder beside it) if there is a schema to
    change; PostgreSQL's backups are its DBA's (docs/deploy.md)."""
    if is_postgresql(database):
        return await postgres_engine.open_postgresql(str(database))
    return await sqlite_engine.open_sqlite(Path(database), backups)


async def schema_version(db: Database) -> int:
    """The version an open database is at: the newest migration applied to it."""
    version = await db.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
    return int(version or 0)

