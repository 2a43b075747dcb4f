"""Feedback raised at any time (problems, compliments, ideas) and what happened to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from carebot.care.issue_moves import CLOSED, can_move
from carebot.care.references import issue_reference
from carebot.storage.db import Database, Row, from_db_time, placeholders, storable, to_db_time
from carebot.storage.models import Issue, IssueKind, IssueStatus
from carebot.storage.outbox import NewMessage, add_message
from carebot.storage.reference_floors import next_id_sql

_COLUMNS = (
    "id, reference, raised_by_id, service_id, kind, text, status, created_at, updated_at, "
    "forwarded, forwarded_from"
)


def _issue(row: Row) -> Issue:
    return Issue(
        id=row["id"],
        reference=row["reference"],
        raised_by_id=row["raised_by_id"],
        service_id=row["service_id"],
        kind=None if row["kind"] is None else IssueKind(row["kind"]),
        text=row["text"],
        status=IssueStatus(row["status"]),
        created_at=from_db_time(row["created_at"]),
        updated_at=from_db_time(row["updated_at"]),
        forwarded=bool(row["forwarded"]),
        forwarded_from=row["forwarded_from"],
    )


async def raise_issue(
    db: Database, *, raised_by_id: int, service_id: int, text: str,
    now: datetime, media_file_id: str | None = None,
    message_id: int | None = None, forwarded_from: str | None = None,
) -> Issue:
    """Keep the words at once; the kind (problem, compliment, idea) may follow later.

    The reference (care/references.py) is made from the new id, in the same transaction
    as the insert. The
    person's message, handled again after a crash, gives the issue it raised before.
    With `forwarded_from`, the words are someone else's that the person passed on.
    """
    async with db.transaction() as tx:
        if message_id is not None and (before := await tx.fetchone(
                f"SELECT {_COLUMNS} FROM issues WHERE raised_by_id = ? AND message_id = ?",
                (raised_by_id, message_id))):
            return _issue(before)
        issue_id = await tx.insert(
            "INSERT INTO issues (id, raised_by_id, service_id, text, media_file_id, "
            "message_id, created_at, updated_at, forwarded, forwarded_from) "
            f"VALUES ({next_id_sql('issue')}, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (raised_by_id, service_id, storable(text), media_file_id, message_id,
             to_db_time(now), to_db_time(now), int(forwarded_from is not None),
             None if forwarded_from is None else storable(forwarded_from)),
        )
        await tx.execute(
            "UPDATE issues SET reference = ? WHERE id = ?",
            (issue_reference(issue_id), issue_id),
        )
        row = await tx.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
    assert row is not None
    return _issue(row)


async def raised_from_message(db: Database, raised_by_id: int, message_id: int) -> bool:
    """Whether this person's message raised an issue (it did, if handled before a crash)."""
    return await db.scalar("SELECT 1 FROM issues WHERE raised_by_id = ? AND message_id = ?",
                           (raised_by_id, message_id)) is not None


async def set_issue_kind(db: Database, issue_id: int, raised_by_id: int, kind: IssueKind,
                         now: datetime, tell: Sequence[NewMessage] = ()) -> Issue | None:
    """Say what kind an issue is, once, and queue `tell` (e.g. to staff) with it. None,
    and nothing queued, if it is not this person's or its kind was said already."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE issues SET kind = ?, updated_at = ? "
            "WHERE id = ? AND raised_by_id = ? AND kind IS NULL",
            (kind, to_db_time(now), issue_id, raised_by_id),
        )
        if changed != 1:
            return None
        for message in tell:
            await add_message(tx, message, now)
        row = await tx.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
    return None if row is None else _issue(row)


async def change_status(
    db: Database, *, issue_id: int, status: IssueStatus, by_id: int | None, note: str | None,
    tell: Sequence[NewMessage], now: datetime,
) -> Issue | None:
    """Move an issue on, in one transaction: the issue, an issue_updates row (who, when,
    status, note) and the messages telling the person who raised it, and anyone else
    (`tell`). None, and nothing written, if the issue is not where it could make that move
    (care/issue_moves.py: a double tap, or a forged button)."""
    async with db.transaction() as tx:
        row = await tx.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
        if row is None or not can_move(IssueStatus(row["status"]), status):
            return None
        await tx.execute("UPDATE issues SET status = ?, updated_at = ? WHERE id = ?",
                         (status, to_db_time(now), issue_id))
        await tx.execute(
            "INSERT INTO issue_updates (issue_id, status, note, by_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (issue_id, status, None if note is None else storable(note), by_id,
             to_db_time(now)))
        moved = await tx.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
        assert moved is not None
        issue = _issue(moved)
        for message in tell:
            await add_message(tx, message, now)
    return issue


async def get_issue(db: Database, issue_id: int) -> Issue | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
    return None if row is None else _issue(row)


@dataclass(frozen=True)
class IssueUpdate:
    """One step of an issue's life: who moved it, to what, when, and what they said."""

    status: IssueStatus
    note: str | None
    by_id: int | None
    at: datetime


async def updates_of(db: Database, issue_id: int) -> list[IssueUpdate]:
    rows = await db.fetchall(
        "SELECT status, note, by_id, created_at FROM issue_updates WHERE issue_id = ? "
        "ORDER BY id", (issue_id,))
    return [IssueUpdate(IssueStatus(r["status"]), r["note"], r["by_id"],
                        from_db_time(r["created_at"])) for r in rows]


_NOT_CLOSED = f"status NOT IN ({', '.join(repr(str(status)) for status in CLOSED)})"


async def open_issues(db: Database, service_ids: Sequence[int], *, limit: int,
                      offset: int = 0) -> tuple[list[Issue], int]:
    """Issues not yet closed at these services, oldest first (a page of them), and how
    many there are in all."""
    if not service_ids:
        return [], 0
    marks = placeholders(len(service_ids))
    where = f"service_id IN ({marks}) AND {_NOT_CLOSED}"
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM issues WHERE {where} ORDER BY created_at, id "
        "LIMIT ? OFFSET ?", (*service_ids, limit, offset))
    total = await db.scalar(f"SELECT COUNT(*) FROM issues WHERE {where}", tuple(service_ids))
    return [_issue(row) for row in rows], int(total)


async def issues_raised_by(db: Database, person_id: int, *, limit: int) -> list[Issue]:
    """A person's own feedback, newest first."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM issues WHERE raised_by_id = ? ORDER BY id DESC LIMIT ?",
        (person_id, limit))
    return [_issue(row) for row in rows]


async def issue_by_reference(db: Database, reference: str) -> Issue | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE reference = ?",
                            (reference,))
    return None if row is None else _issue(row)


async def problems_raised_between(db: Database, service_ids: Sequence[int], start: datetime,
                                  end: datetime) -> list[Issue]:
    """Feedback raised in [start, end) at these services, for a daily summary."""
    if not service_ids:
        return []
    marks = placeholders(len(service_ids))
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM issues WHERE service_id IN ({marks}) AND created_at >= ? "
        "AND created_at < ? ORDER BY id", (*service_ids, to_db_time(start), to_db_time(end)))
    return [_issue(row) for row in rows]


async def record_reply(db: Database, *, issue_id: int, raised_by_id: int, note: str,
                       now: datetime) -> Issue | None:
    """The person who raised a closed issue says it was OK: kept as an update by them,
    once. None if it is not theirs, not closed, or they have answered already."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            f"SELECT {_COLUMNS} FROM issues WHERE id = ? AND raised_by_id = ? AND "
            f"NOT ({_NOT_CLOSED})", (issue_id, raised_by_id))
        if row is None:
            return None
        issue = _issue(row)
        said = await tx.fetchone(
            "SELECT 1 FROM issue_updates WHERE issue_id = ? AND by_id = ? AND created_at >= ?",
            (issue_id, raised_by_id, to_db_time(issue.updated_at or issue.created_at)))
        if said is not None:
            return None
        await tx.execute(
            "INSERT INTO issue_updates (issue_id, status, note, by_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)", (issue_id, issue.status, note, raised_by_id,
                                       to_db_time(now)))
    return issue


# Chasing a problem nobody has marked seen (migration 0012). An open problem's updated_at
# is when it began to wait: its kind was said, or it was opened again. Each step's column
# says when it was taken for that wait; the literal SQL below matches the partial indexes
# issues_to_remind and issues_to_escalate, so the periodic job reads only what waits.
class ChaseStep(StrEnum):
    REMIND = "reminded_at"      # the provider's staff are reminded
    ESCALATE = "escalated_at"   # the council's commissioners, and the person, are told


def _waiting_for(step: ChaseStep) -> str:
    return (f"status = '{IssueStatus.OPEN}' AND kind = '{IssueKind.PROBLEM}' "
            f"AND ({step} IS NULL OR {step} < updated_at)")


async def problems_to_chase(db: Database, step: ChaseStep, waiting_since: datetime, *,
                            limit: int) -> list[Issue]:
    """Open problems that began to wait at or before `waiting_since` and have not had
    this step for that wait, longest waiting first."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM issues WHERE {_waiting_for(step)} AND updated_at <= ? "
        "ORDER BY updated_at, id LIMIT ?", (to_db_time(waiting_since), limit))
    return [_issue(row) for row in rows]


async def mark_chased(db: Database, issue: Issue, step: ChaseStep,
                      tell: Sequence[NewMessage], now: datetime) -> bool:
    """Take the step once, with its messages, in one transaction. False, and nothing
    queued, if the issue has been seen (or taken this step, or moved) since it was read."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            f"UPDATE issues SET {step} = ? WHERE id = ? AND updated_at = ? AND "
            f"{_waiting_for(step)}",
            (to_db_time(now), issue.id, to_db_time(issue.updated_at or issue.created_at)))
        if changed != 1:
            return False
        for message in tell:
            await add_message(tx, message, now)
    return True
