"""The schema's versions: the numbered SQL files in storage/migrations, in order, one set
for each engine. What `open_database` applies, and what a backup's version is compared
with.

SQLite's files go back to the first version. PostgreSQL's begin at the version carebot
first ran on it (0022), with one file that makes the whole schema as SQLite's migrations
left it; each later version is a pair of files, one for each engine, with the same number.
tests/storage/test_schema_pair.py compares the two schemas, so the pair cannot drift.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_FOLDERS = {"sqlite": "carebot.storage.migrations",
            "postgresql": "carebot.storage.migrations.postgresql"}


@cache
def migrations(engine: str = "sqlite") -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every migration shipped for `engine`, in order."""
    found = []
    for entry in resources.files(_FOLDERS[engine]).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    first = numbers[0] if numbers else 1
    if numbers != list(range(first, first + len(numbers))):
        raise RuntimeError(f"migrations must be numbered in order without gaps: {numbers}")
    if engine == "sqlite" and first != 1:
        raise RuntimeError(f"SQLite's migrations must begin at 1: {numbers}")
    return found


def latest_schema_version() -> int:
    """The schema this version of carebot brings a database up to."""
    return len(migrations())
