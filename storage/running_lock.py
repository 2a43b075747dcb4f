"""One bot per database. Two bots on one file would both send every due check-in, and a
restore under a running bot would be overwritten by it: the bot holds an advisory lock
on `<database>.lock` while it runs, and `carebot restore` takes the same lock. The
operating system lets go of it when the process ends, however it ends (kill -9 too)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from carebot.storage.private_files import FILE_MODE, private_folder


class DatabaseInUseError(RuntimeError):
    """Another process holds the database's lock."""


class RunningLock:
    """Held from `hold` until `release` (or until the process ends)."""

    def __init__(self, descriptor: int, path: Path) -> None:
        self._descriptor: int | None = descriptor
        self.path = path

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing lets go of the lock
            self._descriptor = None


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def hold(database: Path, doing: str = "a carebot bot") -> RunningLock:
    """Take the database's lock without waiting, or raise DatabaseInUseError."""
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
