"""Backups on real SQLite files: a copy made while another connection writes is the
database at one moment, checked and counted; a damaged or foreign file is refused; a
restore refuses a newer database (or a running bot) and keeps what it replaces; nightly
copies are pruned; an upgrade backs up first."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from carebot.storage import sqlite_engine as storage_db
from carebot.storage.backup import (
    BackupError,
    check_backup,
    make_backup,
    nightly_backup,
    restore,
    rows_not_in,
    schema_version,
)
from carebot.storage.db import open_database
from carebot.storage.running_lock import DatabaseInUseError, hold
from carebot.storage.schema import latest_schema_version, migrations

NOW = datetime(2026, 12, 4, 2, 30, tzinfo=UTC)


pytestmark = pytest.mark.sqlite_only  # PostgreSQL's backups are its DBA's (docs/deploy.md)


async def _database(path: Path, councils: int = 3) -> Path:
    db = await open_database(path)
    for n in range(councils):
        await db.execute("INSERT INTO organisations (kind, name, created_at) "
                         "VALUES ('council', ?, 'now')", (f"Council {n}",))
    await db.close()
    return path


def _councils(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM organisations").fetchone()[0])


def _add_council(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO organisations (kind, name, created_at) "
                     "VALUES ('council', 'Later', 'now')")


async def test_a_copy_made_while_a_writer_is_busy_is_one_moment_checked(
        tmp_path: Path) -> None:
    live = await _database(tmp_path / "carebot.sqlite3")
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a change under way: not in the copy
    writer.execute("INSERT INTO organisations (kind, name, created_at) "
                   "VALUES ('council', 'Half done', 'now')")
    during_a_change = make_backup(live, tmp_path / "backups" / "copy-0.sqlite3")
    writer.execute("COMMIT")
    writer.close()
    stop = threading.Event()

    def keep_writing() -> None:  # committed rows arrive while the copies are made
        other = sqlite3.connect(live, isolation_level=None, timeout=10)
        written = 0
        while not stop.is_set():
            written += 1
            other.execute("INSERT INTO organisations (kind, name, created_at) "
                          "VALUES ('provider', ?, 'now')", (f"P{written}",))
        other.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        copies = [make_backup(live, tmp_path / "backups" / f"copy-{n}.sqlite3")
                  for n in range(1, 6)]
    finally:
        stop.set()
        thread.join()
    assert _councils(during_a_change.path) == 3
    assert len({copy.rows["organisations"] for copy in copies}) == 5  # writes went on
    for copy in (during_a_change, *copies):
        assert copy.rows["organisations"] == _councils(copy.path)  # counted = copied
        assert check_backup(copy.path).rows == copy.rows
        assert stat.S_IMODE(copy.path.stat().st_mode) == 0o600
        assert not copy.path.with_name(copy.path.name + "-wal").exists()  # self-contained
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        f"copy-{n}.sqlite3" for n in range(6)]  # no half-made file left behind


async def test_a_backup_never_overwrites_and_needs_a_database(tmp_path: Path) -> None:
    live = await _database(tmp_path / "carebot.sqlite3")
    copy = make_backup(live, tmp_path / "b.sqlite3")
    with pytest.raises(BackupError, match="already exists"):
        make_backup(live, copy.path)
    with pytest.raises(BackupError, match="no database"):
        make_backup(tmp_path / "missing.sqlite3", tmp_path / "c.sqlite3")


async def test_damaged_foreign_and_newer_files_are_not_restored(tmp_path: Path) -> None:
    live = await _database(tmp_path / "carebot.sqlite3")
    copy = make_backup(live, tmp_path / "good.sqlite3")
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(copy.path.read_bytes())
    data[100:4096 * 3] = b"\xff" * (4096 * 3 - 100)  # the schema's pages overwritten
    damaged.write_bytes(bytes(data))
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database\n" * 100)
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    for path, why in ((damaged, "damaged|not a database"), (text, "not a database"),
                      (foreign, "not a carebot database"), (tmp_path / "no.sqlite3", "no backup")):
        with pytest.raises(BackupError, match=why):
            restore(path, live, NOW, force=True)
    with sqlite3.connect(copy.path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'future.sql', 'now')",
                     (latest_schema_version() + 1,))
    with pytest.raises(BackupError, match="newer carebot"):
        check_backup(copy.path)
    assert _councils(live) == 3  # nothing refused touched the database


async def test_a_newer_database_is_restored_over_only_with_force_and_kept(
        tmp_path: Path) -> None:
    live = await _database(tmp_path / "carebot.sqlite3")
    copy = make_backup(live, tmp_path / "b.sqlite3")
    _add_council(live)
    assert rows_not_in(live, copy.path) == {"organisations": 1}
    with pytest.raises(BackupError,
                       match=r"has what the backup does not: 1 council or provider added"):
        restore(copy.path, live, NOW)
    assert _councils(live) == 4
    done = restore(copy.path, live, NOW, force=True)
    assert _councils(live) == 3 and done.rows == copy.rows
    assert done.kept_aside is not None and _councils(done.kept_aside) == 4  # nothing lost
    db = await open_database(live)  # the bot can start on it
    assert await db.scalar("SELECT COUNT(*) FROM organisations") == 3
    await db.close()


async def test_a_lost_database_is_restored_without_force(tmp_path: Path) -> None:
    copy = make_backup(await _database(tmp_path / "old.sqlite3"), tmp_path / "b.sqlite3")
    new = tmp_path / "new disk" / "carebot.sqlite3"
    done = restore(copy.path, new, NOW)
    assert done.kept_aside is None and _councils(new) == 3
    assert stat.S_IMODE(new.stat().st_mode) == 0o600


async def test_no_restore_under_a_running_bot(tmp_path: Path) -> None:
    live = await _database(tmp_path / "carebot.sqlite3")
    copy = make_backup(live, tmp_path / "b.sqlite3")
    lock = hold(live)
    try:
        with pytest.raises(DatabaseInUseError, match="a restore cannot start"):
            restore(copy.path, live, NOW, force=True)
        with pytest.raises(DatabaseInUseError):
            hold(live)  # nor a second bot
    finally:
        lock.release()
    restore(copy.path, live, NOW, force=True)


async def test_nightly_backups_keep_the_newest_and_touch_nothing_else(tmp_path: Path) -> None:
    live = await _database(tmp_path / "carebot.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "keep-me.sqlite3").write_text("an admin's own file")
    for day in range(1, 6):
        made, _ = nightly_backup(live, folder, date(2026, 12, day), keep=3)
        assert made is not None
    again, gone = nightly_backup(live, folder, date(2026, 12, 5), keep=3)
    assert again is None and gone == []  # one a day
    assert sorted(p.name for p in folder.iterdir()) == [
        "carebot-2026-12-03.sqlite3", "carebot-2026-12-04.sqlite3",
        "carebot-2026-12-05.sqlite3", "keep-me.sqlite3"]


async def test_an_upgrade_backs_the_database_up_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = migrations()
    monkeypatch.setattr(storage_db, "migrations", lambda *_: everything[:3])
    live = await _database(tmp_path / "carebot.sqlite3")
    assert schema_version(live) == 3
    db = await open_database(live)  # nothing to change: no backup
    await db.close()
    assert not (tmp_path / "backups").exists()
    monkeypatch.setattr(storage_db, "migrations", lambda *_: everything)
    db = await open_database(live)
    await db.close()
    [before] = (tmp_path / "backups").iterdir()
    assert before.name.endswith("-schema-3.sqlite3")
    assert schema_version(before) == 3 and _councils(before) == 3
    assert schema_version(live) == latest_schema_version()
