"""What carebot holds about one person (/mydata), and forgetting them (/forget).

Forgetting removes who they are and every word they wrote; their button answers stay,
with no name, so the counts in past reports stay true. Safeguarding alerts are kept as
they are: a record of a concern about someone's safety is kept as the law requires.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from carebot.storage.checkins import OPEN_STATUSES
from carebot.storage.db import Database
from carebot.storage.events import add_event
from carebot.storage.models import CheckInStatus, EventKind, OutboxStatus, PersonStatus

REMOVED = "(removed at the person's request)"


async def data_about(db: Database, person_id: int) -> dict[str, Any]:
    person = await db.fetchone(
        "SELECT p.role, p.display_name, p.status, p.enrolled_at, p.consent_at, "
        "s.name AS service FROM people p LEFT JOIN services s ON s.id = p.service_id "
        "WHERE p.id = ?", (person_id,))
    assert person is not None
    schedule = await db.fetchone(
        "SELECT frequency, weekday, time_window, active, paused_until FROM schedules "
        "WHERE person_id = ?", (person_id,))
    answers = await db.fetchall(
        "SELECT a.answered_at, a.question_key, a.choice, a.text, a.skipped, c.helped_by, "
        "a.media_file_id AS photo_or_file "
        "FROM answers a JOIN checkins c ON c.id = a.checkin_id WHERE a.person_id = ? "
        "ORDER BY a.id", (person_id,))
    issues = await db.fetchall(
        "SELECT reference, created_at, kind, text, media_file_id AS photo_or_file, status, "
        "forwarded AS passed_on, forwarded_from AS passed_on_from "
        "FROM issues WHERE raised_by_id = ? "
        "ORDER BY id", (person_id,))
    edits = await db.fetchall(
        "SELECT edited_at, text FROM edits WHERE person_id = ? ORDER BY id", (person_id,))
    media = await db.fetchall(
        "SELECT received_at, kinds, file_ids AS photo_or_file FROM media_messages "
        "WHERE person_id = ? ORDER BY id", (person_id,))
    checkins = await db.fetchall(
        "SELECT status, COUNT(*) AS n FROM checkins WHERE person_id = ? GROUP BY status",
        (person_id,))
    return {
        "you": dict(person),
        "schedule": None if schedule is None else dict(schedule),
        "checkins": {row["status"]: row["n"] for row in checkins},
        "answers": [_files_listed(row) for row in answers],
        "messages": [_files_listed(row) for row in issues],
        "changed_messages": [dict(row) for row in edits],
        "photos_and_voice_notes": [_files_listed(row) for row in media],
    }


def _files_listed(row: Any) -> dict[str, Any]:
    """A row as /mydata shows it: the Telegram ids of the photos or files sent with the
    words (kept one a line: an album has several) as a list."""
    shown = dict(row)
    files = shown.pop("photo_or_file", None)
    shown["photos_or_files"] = files.splitlines() if files else []
    return shown


async def forget(db: Database, person_id: int, now: datetime) -> None:
    """All in one transaction: words and identity go; choices, counts and alerts stay."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE tags SET evidence = NULL WHERE answer_id IN "
            "(SELECT id FROM answers WHERE person_id = ?) OR issue_id IN "
            "(SELECT id FROM issues WHERE raised_by_id = ?)", (person_id, person_id))
        await tx.execute("UPDATE answers SET text = NULL, media_file_id = NULL "
                         "WHERE person_id = ?", (person_id,))
        await tx.execute("UPDATE issues SET text = ?, media_file_id = NULL, "
                         "forwarded_from = NULL WHERE raised_by_id = ?", (REMOVED, person_id))
        await tx.execute("UPDATE edits SET text = ?, evidence = NULL WHERE person_id = ?",
                         (REMOVED, person_id))
        await tx.execute("UPDATE media_messages SET file_ids = NULL WHERE person_id = ?",
                         (person_id,))
        await tx.execute(
            "UPDATE checkins SET status = ? WHERE person_id = ? AND status IN (?, ?, ?)",
            (CheckInStatus.EXPIRED, person_id, CheckInStatus.QUEUED, *OPEN_STATUSES))
        await tx.execute("UPDATE schedules SET active = 0 WHERE person_id = ?", (person_id,))
        await tx.execute(
            "UPDATE outbox SET status = ?, error = 'forgotten', text = NULL "
            "WHERE person_id = ? AND status IN (?, ?)",
            (OutboxStatus.FAILED, person_id, OutboxStatus.PENDING, OutboxStatus.SENDING))
        # What was sent to their chat greeted them by name: those words go too.
        await tx.execute(
            "UPDATE outbox SET text = NULL, reply_markup = NULL "
            "WHERE chat_id = (SELECT chat_id FROM people WHERE id = ?)", (person_id,))
        await tx.execute(
            "UPDATE events SET telegram_user_id = NULL, detail = NULL WHERE person_id = ?",
            (person_id,))
        await tx.execute(
            "UPDATE people SET display_name = 'Forgotten', telegram_user_id = NULL, "
            "chat_id = NULL, status = ? WHERE id = ?", (PersonStatus.FORGOTTEN, person_id))
        await add_event(tx, EventKind.FORGOTTEN, now, person_id=person_id)
