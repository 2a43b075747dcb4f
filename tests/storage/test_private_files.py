"""The database and the digests are readable by the service's own user only, whatever the
umask: 0600 files in folders carebot makes 0700."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from carebot.reports.figures import Digest
from carebot.reports.render import write_digest
from carebot.storage.db import open_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def careless_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what many servers have: files readable by everyone
    yield
    os.umask(old)


async def test_a_new_database_and_its_log_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "carebot.sqlite3"
    db = await open_database(path)
    await db.fetchone("SELECT 1")
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert mode(path.parent) == mode(path.parent.parent) == 0o700
    await db.close()


async def test_an_old_database_left_open_to_all_is_made_private(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    theirs.chmod(0o755)
    path = theirs / "carebot.sqlite3"
    first = await open_database(path)
    await first.close()
    path.chmod(0o644)
    db = await open_database(path)
    assert mode(path) == 0o600
    assert mode(theirs) == 0o755  # a folder someone else made is left as they made it
    await db.close()


def test_digests_are_private(tmp_path: Path) -> None:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    digest = Digest(council="Testshire", start=now, end=now, made_at=now, threshold=3,
                    services=())
    html_path, csv_path = write_digest(digest, tmp_path / "out", "digest-1")
    assert (mode(html_path), mode(csv_path), mode(tmp_path / "out")) == (0o600, 0o600, 0o700)
