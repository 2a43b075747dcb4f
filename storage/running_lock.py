"""One bot per database. Two bots on one file would both send every due check-in, and a
restore under a running bot would be overwritten by it: the bot holds an advisory lock
on `<database>.lock` while it runs, and `carebot restore` takes the same lock. The
operating system lets go of it when the process ends, however it ends (kill -9 too).

On PostgreSQL the lock is the server's: a session advisory lock for the database's
schema, held on a connection of its own, which the server lets go of when the process
ends (its connection closes) however it ends."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carebot.storage.private_files import FILE_MODE, private_folder

if TYPE_CHECKING:
    import psycopg

# The session lock's first key ("bot"); the second is the schema's, so that databases in
# two schemas of one server do not hold each other up.
_RUNNING = 0x626F74


class DatabaseInUseError(RuntimeError):
    """Another process holds the database's lock."""


class RunningLock:
    """Held from `hold` until `release` (or until the process ends)."""

    def __init__(self, descriptor: int | None, path: Path | None,
                 connection: psycopg.Connection[Any] | None = None) -> None:
        self._descriptor = descriptor
        self._connection = connection
        self.path = path

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing lets go of the lock
            self._descriptor = None
        if self._connection is not None:
            self._connection.close()  # and so does ending the session
            self._connection = None


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def hold(database: Path | str, doing: str = "a carebot bot") -> RunningLock:
    """Take the database's lock without waiting, or raise DatabaseInUseError."""
    if isinstance(database, str):
        return _hold_on_server(database, doing)
    path = lock_path(database)
    private_folder(path.parent)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise DatabaseInUseError(
            f"{database} is in use by a running carebot (its lock {path} is held), so "
            f"{doing} cannot start. Stop the other one first") from None
    return RunningLock(descriptor, path)


def _hold_on_server(address: str, doing: str) -> RunningLock:
    import psycopg

    from carebot.storage.postgres_engine import shown_address
    connection = psycopg.connect(address, autocommit=True)
    try:
        held = connection.execute("SELECT pg_try_advisory_lock(%s, hashtext(current_schema()))",
                                  (_RUNNING,)).fetchone()
    except BaseException:
        connection.close()
        raise
    if not (held and held[0]):
        connection.close()
        raise DatabaseInUseError(
            f"{shown_address(address)} is in use by a running carebot (it holds the "
            f"database's lock), so {doing} cannot start. Stop the other one first")
    return RunningLock(None, None, connection)
