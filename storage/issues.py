"""Feedback raised at any time (problems, compliments, ideas) and what happened to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import aiosqlite

from storage.db import Database, from_db_time, storable, to_db_time
from storage.models import Issue, IssueKind, IssueStatus

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


async def get_issue(db: Database, issue_id: int) -> Issue | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM issues WHERE id = ?", (issue_id,))
    return None if row is None else _issue(row)
