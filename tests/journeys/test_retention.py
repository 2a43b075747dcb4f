"""Words are not kept for ever: once a day the bot takes the words from answers, messages
and closed issues older than retention_months, keeping every record and count; an open
issue keeps its words; the log says how many, never what; /mydata says how long."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.storage import directory, issues
from carebot.storage.models import EventKind, IssueStatus
from carebot.storage.retention import apply_retention, months_before, open_issues_kept
from tests.helpers import World, person_who_wrote

WORDS = ("My carer Janet is always late on Fridays.", "Please send the rota earlier.")


async def _rows(local: LocalBot) -> dict[str, int]:
    counts = {}
    for table in ("answers", "issues", "issue_updates", "tags", "edits"):
        counts[table] = int(await local.runtime.db.scalar(f"SELECT COUNT(*) FROM {table}"))
    return counts


async def _words_left(local: LocalBot) -> list[str]:
    db = local.runtime.db
    rows = await db.fetchall(
        "SELECT text FROM answers WHERE text IS NOT NULL UNION ALL "
        "SELECT text FROM issues UNION ALL SELECT evidence FROM tags "
        "WHERE evidence IS NOT NULL UNION ALL SELECT text FROM outbox WHERE text IS NOT NULL")
    return [row[0] for row in rows]


async def test_old_words_go_once_a_day_and_every_count_stays(
        local: LocalBot, world: World, clock: SimulatedClock,
        caplog: pytest.LogCaptureFixture) -> None:
    sam = await person_who_wrote(local, world, 1501)
    person = await directory.person_by_telegram_id(local.runtime.db, 1501)
    assert person is not None
    issue = (await issues.issues_raised_by(local.runtime.db, person.id, limit=1))[0]
    assert await issues.change_status(
        local.runtime.db, issue_id=issue.id, status=IssueStatus.RESOLVED, by_id=None,
        note="Rota now sent on Mondays", tell=(), now=clock.now())
    before = await _rows(local)
    clock.advance(timedelta(days=365))
    await local.tick()
    assert any(WORDS[0] in words for words in await _words_left(local))  # a year: kept

    clock.advance(timedelta(days=368))  # past 24 months (2028 is a leap year)
    caplog.set_level(logging.INFO, logger="carebot.operations.retention_job")
    await local.tick()
    left = await _words_left(local)
    assert not any(said in words for said in WORDS for words in left)
    assert "Janet" not in " ".join(left)
    assert await _rows(local) == before  # every record stays, so every count does
    logged = [r.getMessage() for r in caplog.records
              if r.name == "carebot.operations.retention_job"]
    assert len(logged) == 1 and "answers" in logged[0] and "Janet" not in logged[0]
    note = await local.runtime.db.scalar("SELECT COUNT(*) FROM issue_updates "
                                         "WHERE note IS NOT NULL")
    assert note == 0

    await local.tick()  # the same day: not again
    assert len([r for r in caplog.records if r.name == "carebot.operations.retention_job"]) == 1
    sam.send_command("mydata")
    await local.settle()
    assert "I keep your words for 2 years." in (sam.inbox[-2].text or "")




async def test_a_dry_run_counts_what_would_go_and_an_open_issue_keeps_its_words(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    await person_who_wrote(local, world, 1502)
    later = clock.now() + timedelta(days=800)
    db = local.runtime.db
    would = await apply_retention(db, later, 24, dry_run=True)
    assert any(WORDS[0] in words for words in await _words_left(local))  # nothing changed
    assert await open_issues_kept(db, months_before(later, 24)) == 1
    gone = await apply_retention(db, later, 24)
    assert gone == would and gone["answers"] == 1 and gone["issues"] == 0
    assert WORDS[1] in await _words_left(local)  # still open: still being worked on
    logged = await db.fetchone("SELECT detail FROM events WHERE kind = ?",
                               (EventKind.WORDS_REMOVED_BY_AGE,))
    assert logged is not None and "1 answers" in logged["detail"]
    assert await apply_retention(db, later, 24) == dict.fromkeys(gone, 0)  # done once


def test_months_before_keeps_to_the_calendar() -> None:
    assert months_before(datetime(2026, 3, 31, 9, tzinfo=UTC), 1) == datetime(
        2026, 2, 28, 9, tzinfo=UTC)
    assert months_before(datetime(2028, 2, 29, tzinfo=UTC), 24) == datetime(
        2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(
        2024, 12, 15, tzinfo=UTC)
