"""A restore says what it would lose in an admin's words, and never gives out again an
issue or alert reference that someone already holds: the numbers given since the backup
come from the database it replaces or, when that is gone, from the sent journal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from carebot.storage import issues
from carebot.storage.backup import BackupError, make_backup, restore
from carebot.storage.db import Database, open_database
from carebot.storage.models import IssueKind
from carebot.storage.sent_journal import SentJournal, SentLine
from tests.helpers import World, joined, small_world

pytestmark = pytest.mark.sqlite_only  # a file's restore; PostgreSQL's is its DBA's

NOW = datetime(2026, 12, 4, 2, 30, tzinfo=UTC)


async def _raise(db: Database, world: World, person_id: int, kind: IssueKind) -> str:
    issue = await issues.raise_issue(db, raised_by_id=person_id, service_id=world.service_id,
                                     text="words", now=NOW)
    await issues.set_issue_kind(db, issue.id, person_id, kind, NOW)
    assert issue.reference is not None
    return issue.reference


async def _world_with_issues(path: Path, count: int) -> tuple[World, int, list[str]]:
    db = await open_database(path)
    try:
        world = await small_world(db, NOW)
        person = await joined(db, world, NOW, telegram_user_id=1)
        given = [await _raise(db, world, person.id, IssueKind.PROBLEM) for _ in range(count)]
        return world, person.id, given
    finally:
        await db.close()


async def _next_reference(path: Path, world: World, person_id: int) -> str:
    db = await open_database(path)
    try:
        return await _raise(db, world, person_id, IssueKind.IDEA)
    finally:
        await db.close()


async def test_a_restore_says_what_it_loses_and_gives_no_reference_twice(
        tmp_path: Path) -> None:
    live = tmp_path / "carebot.sqlite3"
    world, person_id, given = await _world_with_issues(live, 2)
    copy = make_backup(live, tmp_path / "backup.sqlite3")
    db = await open_database(live)
    try:
        await joined(db, world, NOW, telegram_user_id=2, name="Sam")
        given += [await _raise(db, world, person_id, IssueKind.PROBLEM),
                  await _raise(db, world, person_id, IssueKind.COMPLIMENT)]
    finally:
        await db.close()
    with pytest.raises(BackupError) as refused:
        restore(copy.path, live, NOW)
    said = refused.value.problem
    assert "1 person joined" in said and "1 problem raised" in said
    assert "1 thank you" in said and "--force" in refused.value.next_step
    done = restore(copy.path, live, NOW, force=True)
    assert done.floors["issue"] == 4 and "1 invite made" in done.lost
    assert given == ["CB-1001", "CB-1002", "CB-1003", "CB-1004"]
    assert await _next_reference(live, world, person_id) == "CB-1005"


async def test_with_the_database_gone_the_journal_keeps_the_count(tmp_path: Path) -> None:
    live = tmp_path / "carebot.sqlite3"
    world, person_id, _ = await _world_with_issues(live, 1)
    copy = make_backup(live, tmp_path / "backup.sqlite3")
    journal = SentJournal(tmp_path / "sent")
    for outbox_id, words in enumerate(("Thank you. Your reference is CB-1007.",
                                       "Safeguarding alert A-3 at Home Care East"), start=90):
        journal.record(SentLine(outbox_id, 1, "2026-12-04T03:00:00Z", "reply", None, 5,
                                "2026-12-04T03:00:01Z", references=_refs(words)))
    journal.close()
    _lose_the_disk(live)  # only the backup and the journal are left
    done = restore(copy.path, live, NOW, journal=tmp_path / "sent")
    assert done.floors == {"issue": 7, "alert": 3} and done.lost == []
    assert await _next_reference(live, world, person_id) == "CB-1008"


def _lose_the_disk(database: Path) -> None:
    for file in database.parent.glob(f"{database.name}*"):
        file.unlink()


def _refs(words: str) -> list[str]:
    from carebot.storage.reference_floors import references_in
    return references_in(words)
