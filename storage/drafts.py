"""What a member of staff is in the middle of typing: a note to close an issue, a note on
an alert, an action. Kept in the database so a restart loses none of it; one at a time
per person, and a new one replaces the old."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from carebot.storage.db import Database, from_db_time, storable, to_db_time
from carebot.storage.models import DraftPurpose

STALE_AFTER = timedelta(hours=24)  # a draft left this long is forgotten, not sent


@dataclass(frozen=True)
class Draft:
    person_id: int
    purpose: DraftPurpose
    target_id: int | None
    choice: str | None
    text: str | None      # None until they have typed it
    created_at: datetime


async def start_draft(db: Database, *, person_id: int, purpose: DraftPurpose,
                      target_id: int | None, now: datetime, choice: str | None = None) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO drafts (person_id, purpose, target_id, choice, text, created_at) "
            "VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (person_id) DO UPDATE SET "
            "purpose = excluded.purpose, target_id = excluded.target_id, "
            "choice = excluded.choice, text = NULL, created_at = excluded.created_at",
            (person_id, purpose, target_id, choice, to_db_time(now)))


async def draft_of(db: Database, person_id: int, now: datetime) -> Draft | None:
    """The person's draft, unless it has gone stale."""
    row = await db.fetchone(
        "SELECT person_id, purpose, target_id, choice, text, created_at FROM drafts "
        "WHERE person_id = ? AND created_at > ?",
        (person_id, to_db_time(now - STALE_AFTER)))
    if row is None:
        return None
    return Draft(row["person_id"], DraftPurpose(row["purpose"]), row["target_id"],
                 row["choice"], row["text"], from_db_time(row["created_at"]))


async def set_text(db: Database, person_id: int, text: str | None) -> None:
    """What they typed, waiting for them to confirm (None: they will type it again)."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE drafts SET text = ? WHERE person_id = ?",
                         (None if text is None else storable(text), person_id))


async def drop_draft(db: Database, person_id: int) -> None:
    """Done with, or cancelled. (If it was acted on and a crash came before this, the
    act will not happen twice: issues and alerts move only from where they were.)"""
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM drafts WHERE person_id = ?", (person_id,))
