"""Files that hold people's data (the database, digests, backups) are created readable by
the service's own user only: 0600, in folders carebot makes 0700, whatever the umask."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Make `path` (and any missing parents) if needed; a folder carebot makes is 0700.
    A folder that already exists is left as its owner set it."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is cut by the umask
    return path


def make_private(path: Path) -> None:
    """Create `path` empty if it is missing; either way, only its owner can read it.
    Never for a database SQLite may have open in this process: see
    `database_files_private`."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(descriptor)
    os.chmod(path, FILE_MODE)


def write_private(path: Path, text: str) -> None:
    make_private(path)
    path.write_text(text, encoding="utf-8")


def database_files_private(path: Path) -> None:
    """The database, and SQLite's write-ahead log and shared memory beside it, readable by
    the service only, without ever opening a file that already exists.

    Closing any descriptor of a file drops every POSIX lock this process holds on it,
    SQLite's included ("How To Corrupt An SQLite Database File", 2.2). A bot that opened
    and closed its own database once SQLite had it open lost its locks: the next `carebot`
    command to close the database then took it for the last user, and deleted the
    write-ahead log the bot was still writing to (issue 26). So a missing database is
    created (SQLite gives the log and shared memory its mode), and files that exist only
    have their mode changed, by name."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(name, FILE_MODE)
