"""The sent journal on real files: lines written one by one survive a torn last line; read
back into a restored copy, they mark sent only the very rows that went (not one whose id
was reused), count what the backup never held, and are pruned with the backups."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from carebot.storage import outbox
from carebot.storage.backup import make_backup, nightly_backup, restore
from carebot.storage.db import open_database, to_db_time
from carebot.storage.models import OutboxStatus, Purpose
from carebot.storage.sent_journal import (
    SentJournal,
    SentLine,
    journal_name,
    mark_journal_sent,
    prune_journal,
    read_journal,
)

pytestmark = pytest.mark.sqlite_only  # a file's restore; PostgreSQL's is its DBA's

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def _line(outbox_id: int, chat_id: int, created_at: str, sent: datetime = NOW) -> SentLine:
    return SentLine(outbox_id=outbox_id, chat_id=chat_id, created_at=created_at,
                    purpose=Purpose.TALK_REQUEST, checkin_id=None, message_id=70 + outbox_id,
                    sent_at=to_db_time(sent))


async def _queued(path: Path, chats: int) -> Path:
    db = await open_database(path)
    for chat in range(1, chats + 1):
        await outbox.enqueue(db, outbox.NewMessage(chat, Purpose.TALK_REQUEST, text="hi"), NOW)
    await db.close()
    return path


def _status(path: Path) -> dict[int, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT id, status FROM outbox").fetchall())


def test_lines_are_read_back_and_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    journal = SentJournal(tmp_path / "sent")
    journal.record(_line(1, 11, "a"))
    journal.record(_line(2, 12, "b", NOW + timedelta(days=1)))  # a new day, a new file
    journal.close()
    with (tmp_path / "sent" / journal_name(NOW.date())).open("a") as torn:
        torn.write('{"outbox_id": 3, "chat_')  # the crash came mid-line
    assert [line.outbox_id for line in read_journal(tmp_path / "sent")] == [1, 2]
    for path in (tmp_path / "sent").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(read_journal(tmp_path / "nowhere")) == []


def test_lines_from_many_threads_across_midnight_are_all_kept(tmp_path: Path) -> None:
    """Sends finish in several threads at once, and at midnight one of them opens the new
    day's file while others still write the old day's: no line is lost or misplaced."""
    journal = SentJournal(tmp_path / "sent")

    def send(first: int) -> None:
        for n in range(first, first + 200):
            journal.record(_line(n, n, str(n), NOW + timedelta(days=n % 2)))

    threads = [threading.Thread(target=send, args=(start,)) for start in range(0, 1600, 200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    journal.close()
    kept = list(read_journal(tmp_path / "sent"))
    assert sorted(line.outbox_id for line in kept) == list(range(1600))
    assert all(line.sent_at.startswith(str((NOW + timedelta(days=line.outbox_id % 2)).date()))
               for line in kept)


async def test_only_the_rows_that_went_are_marked_and_the_rest_are_counted(
        tmp_path: Path) -> None:
    path = await _queued(tmp_path / "carebot.sqlite3", chats=3)
    created = to_db_time(NOW)
    with sqlite3.connect(path) as conn:
        read = mark_journal_sent(conn, [
            _line(1, 1, created),                  # went: marked
            _line(2, 2, "2026-12-04T09:00:00"),    # the same id, another message: not this one
            _line(3, 99, created),                 # another chat: not this one
            _line(9, 9, created),                  # queued after the backup: unknown to it
            _line(1, 1, created),                  # read twice: marked once
        ])
    assert (read.marked_sent, read.not_in_backup) == (1, 3)
    assert _status(path) == {1: OutboxStatus.SENT, 2: OutboxStatus.PENDING,
                             3: OutboxStatus.PENDING}


async def test_a_restore_reads_the_journal_it_is_given(tmp_path: Path) -> None:
    live = await _queued(tmp_path / "carebot.sqlite3", chats=4)
    backup = make_backup(live, tmp_path / "backup.sqlite3")
    journal = SentJournal(tmp_path / "sent")
    for outbox_id in (1, 2):
        journal.record(_line(outbox_id, outbox_id, to_db_time(NOW)))
    journal.close()
    done = restore(backup.path, tmp_path / "new.sqlite3", NOW, journal=tmp_path / "sent")
    assert done.journal.marked_sent == 2
    assert sorted(_status(tmp_path / "new.sqlite3").values()) == [
        OutboxStatus.PENDING, OutboxStatus.PENDING, OutboxStatus.SENT, OutboxStatus.SENT]
    without = restore(backup.path, tmp_path / "plain.sqlite3", NOW)
    assert without.journal.marked_sent == 0


async def test_days_no_kept_backup_needs_are_pruned_with_the_backups(tmp_path: Path) -> None:
    live = await _queued(tmp_path / "carebot.sqlite3", chats=1)
    folder, sent = tmp_path / "backups", tmp_path / "backups" / "sent"
    journal = SentJournal(sent)
    first = date(2026, 11, 28)
    for days in range(7):
        journal.record(_line(1, 1, "x", datetime(2026, 11, 28, 12, tzinfo=UTC)
                             + timedelta(days=days)))
    journal.close()
    for days in range(7):
        nightly_backup(live, folder, first + timedelta(days=days), keep=2, journal=sent)
    # Backups of 3 and 4 December kept; the journal from 2 December (one day's margin).
    assert sorted(p.name for p in sent.iterdir()) == [
        journal_name(date(2026, 12, n)) for n in (2, 3, 4)]
    assert prune_journal(tmp_path / "nowhere", first) == []
