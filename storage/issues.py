"""Feedback raised at any time (problems, compliments, ideas) and what happened to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import aiosqlite

from storage.db import Database, from_db_time, storable, to_db_time
from storage.models import Issue, IssueKind, IssueStatus
from storage.outbox import NewMessage, add_message

_COLUMNS = "id, reference, raised_by_id, service_id, kind, text, status, created_at"


def _issue(row: aiosqlite.Row) -> Issue:
    return Issue(
        id=row["id"],
        reference=row["reference"],
        raised_by_id=row["raised_by_id"],
        service_id=row["service_id"],
        kind=None if row["kind"] is None else IssueKind(row["kind"]),
        text=row["text"],
        status=IssueStatus(row["status"]),
        created_at=from_db_time(row["created_at"]),
    )


async def raise_issue(
    db: Database, *, raised_by_id: int, service_id: int, text: str,
    make_reference: Callable[[int], str], now: datetime, media_file_id: str | None = None,
    message_id: int | None = None,
) -> Issue:
    """Keep the words at once; the kind (problem, compliment, idea) may follow later.

    The reference is made from the new id, in the same transaction as the insert.
    """
    async with db.transaction() as tx:
        issue_id = await tx.insert(
            "INSERT INTO issues (raised_by_id, service_id, text, media_file_id, message_id, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (raised_by_id, service_id, storable(text), media_file_id, message_id,
             to_db_time(now), to_db_time(now)),
        )
        await tx.execute(
            "UPDATE issues SET reference = ? WHERE id = ?",
            (make_reference(issue_id), issue_id),
        )
        row = await tx.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
    assert row is not None
    return _issue(row)


async def set_issue_kind(db: Database, issue_id: int, raised_by_id: int, kind: IssueKind,
                         now: datetime) -> Issue | None:
    """Say what kind an issue is, once. None if it is not this person's, or already said."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE issues SET kind = ?, updated_at = ? "
            "WHERE id = ? AND raised_by_id = ? AND kind IS NULL",
            (kind, to_db_time(now), issue_id, raised_by_id),
        )
        if cursor.rowcount != 1:
            return None
        row = await tx.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
    return None if row is None else _issue(row)


# Where an issue can go from where it is. A closed one can only be opened again (when the
# person says what was done did not help).
_CLOSED = (IssueStatus.RESOLVED, IssueStatus.CLOSED_NO_ACTION)
NEXT_STATUSES: dict[IssueStatus, tuple[IssueStatus, ...]] = {
    IssueStatus.OPEN: (IssueStatus.SEEN, IssueStatus.IN_PROGRESS, *_CLOSED),
    IssueStatus.SEEN: (IssueStatus.IN_PROGRESS, *_CLOSED),
    IssueStatus.IN_PROGRESS: _CLOSED,
    IssueStatus.RESOLVED: (IssueStatus.OPEN,),
    IssueStatus.CLOSED_NO_ACTION: (IssueStatus.OPEN,),
}


async def change_status(
    db: Database, *, issue_id: int, status: IssueStatus, by_id: int | None, note: str | None,
    tell: Callable[[Issue], NewMessage | None], now: datetime,
) -> Issue | None:
    """Move an issue on, in one transaction: the issue, an issue_updates row (who, when,
    status, note) and the message telling the person who raised it (`tell(issue)`, made
    from the issue as it now stands). None, and nothing written, if the issue is not where
    it could make that move (a double tap, or a forged button)."""
    async with db.transaction() as tx:
        row = await tx.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
        if row is None or status not in NEXT_STATUSES[IssueStatus(row["status"])]:
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
        message = tell(issue)
        if message is not None:
            await add_message(tx, message, now)
    return issue


async def get_issue(db: Database, issue_id: int) -> Issue | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
    return None if row is None else _issue(row)
