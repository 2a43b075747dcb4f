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
    """Create `path` empty if it is missing; either way, only its owner can read it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(descriptor)
    os.chmod(path, FILE_MODE)


def write_private(path: Path, text: str) -> None:
    make_private(path)
    path.write_text(text, encoding="utf-8")


def database_files_private(path: Path) -> None:
    """The database, and SQLite's write-ahead log and shared memory beside it."""
    make_private(path)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path.with_name(path.name + suffix), FILE_MODE)
