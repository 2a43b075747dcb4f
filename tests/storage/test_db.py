"""The database: SQLite's pragmas and migrations, and on both engines transactions,
statements together and stored times."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from carebot.storage import issues, tags
from carebot.storage import sqlite_engine as storage_db
from carebot.storage.db import Database, from_db_time, open_database, placeholders, to_db_time
from carebot.storage.schema import migrations
from tests.engines import INTEGRITY_ERRORS, fresh_database

MIGRATIONS = 22  # the numbered files in storage/migrations


@pytest.mark.sqlite_only
async def test_wal_foreign_keys_and_each_migration_once(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "a.sqlite3")
    try:
        assert await db.scalar("PRAGMA journal_mode") == "wal"
        assert await db.scalar("PRAGMA foreign_keys") == 1
        assert await db.scalar("SELECT MAX(version) FROM schema_migrations") == MIGRATIONS
    finally:
        await db.close()
    again = await open_database(tmp_path / "a.sqlite3")
    try:
        assert await again.scalar("SELECT COUNT(*) FROM schema_migrations") == MIGRATIONS
    finally:
        await again.close()


async def test_foreign_keys_refuse_an_orphan_answer(tmp_path: Path) -> None:
    db = await open_database(fresh_database(tmp_path))
    try:
        with pytest.raises(INTEGRITY_ERRORS):
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO answers (checkin_id, person_id, service_id, question_key, "
                    "answered_at) VALUES (99, 99, 99, 'fft', 'x')")
    finally:
        await db.close()


@pytest.mark.sqlite_only
async def test_a_failing_migration_changes_nothing(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    good = migrations()
    broken = (len(good) + 1, f"{len(good) + 1:04d}_broken.sql",
              "CREATE TABLE half_done (a INTEGER);\nINSERT INTO no_such_table VALUES (1);")
    monkeypatch.setattr(storage_db, "migrations", lambda *_: [*good, broken])
    with pytest.raises(sqlite3.OperationalError):
        await open_database(tmp_path / "c.sqlite3")
    monkeypatch.setattr(storage_db, "migrations", lambda *_: good)
    db = await open_database(tmp_path / "c.sqlite3")
    try:
        assert await db.scalar("SELECT MAX(version) FROM schema_migrations") == len(good)
        assert await db.scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'") == 0
    finally:
        await db.close()


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = await open_database(fresh_database(tmp_path))
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO organisations (kind, name, created_at) "
                                 "VALUES ('council', 'X', 'now')")
                raise RuntimeError("stop")
        assert await db.scalar("SELECT COUNT(*) FROM organisations") == 0
    finally:
        await db.close()


def test_times_are_fixed_width_utc_and_sort_as_text() -> None:
    base = datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)
    later = [base + timedelta(microseconds=n * 250_001) for n in range(10)]
    stored = [to_db_time(t) for t in later]
    assert stored == sorted(stored)
    assert len({len(s) for s in stored}) == 1
    assert [from_db_time(s) for s in stored] == later
    with pytest.raises(ValueError):
        to_db_time(datetime(2026, 1, 1))


@pytest.mark.sqlite_only
async def test_rebuilding_the_issues_table_keeps_every_row_and_reference(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = migrations()
    monkeypatch.setattr(storage_db, "migrations", lambda *_: everything[:3])
    path = tmp_path / "old.sqlite3"
    db = await open_database(path)
    now = to_db_time(datetime(2026, 11, 23, tzinfo=UTC))
    async with db.transaction() as tx:  # rows as the schema of then holds them
        await tx.executemany("INSERT INTO organisations (id, kind, name, created_at) "
                             "VALUES (?, ?, ?, ?)", [(1, "council", "C", now),
                                                     (2, "provider", "P", now)])
        await tx.execute("INSERT INTO services (id, council_id, provider_id, name, kind, "
                         "created_at) VALUES (1, 1, 2, 'S', 'home care', ?)", (now,))
        await tx.execute("INSERT INTO people (id, role, display_name, service_id, "
                         "enrolled_at) VALUES (1, 'carer', 'Jo', 1, ?)", (now,))
        await tx.execute("INSERT INTO issues (id, reference, raised_by_id, service_id, text, "
                         "created_at, updated_at) VALUES (1, 'CB-1001', 1, 1, 'Nobody came', "
                         "?, ?)", (now, now))
        await tx.execute("INSERT INTO tags (issue_id, kind, value, tagger, created_at) "
                         "VALUES (1, 'risk', 'concern', 't', ?)", (now,))
    await db.close()
    monkeypatch.setattr(storage_db, "migrations", lambda *_: everything)
    db = await open_database(path)
    try:
        again = await issues.get_issue(db, 1)
        assert again is not None and again.text == "Nobody came"
        assert len(await tags.tags_of_issue(db, 1)) == 1
        assert await db.scalar("PRAGMA foreign_keys") == 1
        assert list(await db.fetchall("PRAGMA foreign_key_check")) == []
        async with db.transaction() as tx:
            await tx.execute("UPDATE issues SET status = 'closed_no_action' WHERE id = 1")
    finally:
        await db.close()


async def _rolled_back_later(db: Database, opened: asyncio.Event,
                             release: asyncio.Event) -> None:
    """A transaction that writes, says it is open, waits to be released, then fails."""
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO events (kind, at, detail) VALUES ('test', 'now', ?)",
                         ("in the transaction",))
        opened.set()
        await release.wait()
        raise RuntimeError("rolled back")


async def test_a_statement_on_its_own_never_lands_in_a_transaction(tmp_path: Path) -> None:
    """Single statements (`execute`, `returning`) skip the lock when no transaction is
    open; one sent while a transaction is open waits for it, so a rollback never takes
    it away, and reads (through the reader) see only what was committed."""
    db = await open_database(fresh_database(tmp_path))
    now = to_db_time(datetime(2026, 12, 3, tzinfo=UTC))
    events = "INSERT INTO events (kind, at, detail) VALUES ('test', ?, ?)"
    try:
        opened, release = asyncio.Event(), asyncio.Event()
        running = asyncio.create_task(_rolled_back_later(db, opened, release))
        await opened.wait()
        alone = asyncio.create_task(db.execute(events, (now, "on its own")))
        await asyncio.sleep(0.05)
        assert not alone.done()  # it waits for the transaction
        assert await db.scalar("SELECT COUNT(*) FROM events WHERE kind = 'test'") == 0
        release.set()
        with pytest.raises(RuntimeError):
            await running
        assert await alone == 1
        [row] = await db.returning(f"{events} RETURNING detail", (now, "returned"))
        assert row["detail"] == "returned"
        details = await db.fetchall("SELECT detail FROM events WHERE kind = 'test' ORDER BY id")
        assert [r["detail"] for r in details] == ["on its own", "returned"]
    finally:
        await db.close()


async def test_statements_together_all_happen_or_none(tmp_path: Path) -> None:
    """`together` runs in one trip: a later statement failing takes back the earlier ones;
    `WHERE changes() = 1` makes one depend on the one before; one sent while a
    transaction is open waits for it, as a single statement does."""
    db = await open_database(fresh_database(tmp_path))
    now = to_db_time(datetime(2026, 12, 3, tzinfo=UTC))
    events = "INSERT INTO events (kind, at, detail) VALUES ('test', ?, ?)"
    then = "INSERT INTO events (kind, at, detail) SELECT 'test', ?, ? WHERE changes() = 1"
    try:
        with pytest.raises(INTEGRITY_ERRORS):
            await db.together((events, (now, "undone")),
                              ("INSERT INTO events (kind, at) VALUES ('test', NULL)", ()))
        first, second = await db.together(
            (f"{events} RETURNING detail", (now, "kept")),
            (f"{then} RETURNING detail", (now, "after it")))
        assert [r["detail"] for r in first + second] == ["kept", "after it"]
        nothing, skipped = await db.together(
            ("UPDATE events SET detail = 'x' WHERE detail = 'no such'", ()),
            (f"{then} RETURNING detail", (now, "never")))
        assert nothing == skipped == []

        opened, release = asyncio.Event(), asyncio.Event()
        running = asyncio.create_task(_rolled_back_later(db, opened, release))
        await opened.wait()
        waiting = asyncio.create_task(db.together((events, (now, "waited"))))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        release.set()
        with pytest.raises(RuntimeError):
            await running
        await waiting
        details = await db.fetchall("SELECT detail FROM events WHERE kind = 'test' ORDER BY id")
        assert [r["detail"] for r in details] == ["kept", "after it", "waited"]
    finally:
        await db.close()


async def test_an_empty_list_of_values_matches_nothing(db: Database) -> None:
    """`IN ()` is SQLite's and a syntax error on PostgreSQL: `placeholders(0)` matches
    nothing on both."""
    await db.execute("INSERT INTO events (kind, at) VALUES ('test', 'now')")
    assert await db.fetchall(f"SELECT id FROM events WHERE id IN ({placeholders(0)})") == []
    assert len(await db.fetchall(
        f"SELECT id FROM events WHERE id IN ({placeholders(2)})", (1, 2))) == 1
