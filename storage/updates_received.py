"""Updates from Telegram, kept from the moment they arrive until they are handled, so each
is handled once however the bot stops (migration 0011 says how)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, placeholders, to_db_time

WAITING, HANDLED, SET_ASIDE = "waiting", "handled", "set_aside"


@dataclass(frozen=True)
class Waiting:
    update_id: int
    body: str
    attempts: int  # times its handling began and did not finish


async def receive(db: Database, update_id: int, body: str | None, now: datetime) -> bool:
    """Keep a new update (None: one that cannot be read, set aside by its id alone).
    False if it was received before: handled, or waiting to be handled again."""
    kept = await db.returning(
        "INSERT INTO updates_received (update_id, received_at, body, status) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
        (update_id, to_db_time(now), body, WAITING if body is not None else SET_ASIDE))
    return bool(kept)


async def mark_handled(db: Database, update_ids: int | Collection[int],
                       now: datetime) -> None:
    """Handled: its words go, its id stays so that a repeat is known. Several updates (the
    parts of one message) are marked in one statement: all of them, or none."""
    ids = [update_ids] if isinstance(update_ids, int) else list(update_ids)
    await db.execute("UPDATE updates_received SET status = ?, body = NULL, handled_at = ? "
                     f"WHERE update_id IN ({placeholders(len(ids))})",
                     (HANDLED, to_db_time(now), *ids))


async def set_aside(db: Database, update_id: int, now: datetime) -> None:
    """Never handled: it failed too often. Its words go; its id stays, in the log too."""
    await db.execute("UPDATE updates_received SET status = ?, body = NULL, handled_at = ? "
                     "WHERE update_id = ?", (SET_ASIDE, to_db_time(now), update_id))


async def take_waiting(db: Database) -> list[Waiting]:
    """Updates received but not handled when the bot last stopped, oldest first: each
    was started once more than before, and did not finish."""
    rows = await db.returning(
        "UPDATE updates_received SET attempts = attempts + 1 WHERE status = 'waiting' "
        "RETURNING update_id, body, attempts")
    return sorted((Waiting(row["update_id"], row["body"], row["attempts"]) for row in rows),
                  key=lambda waiting: waiting.update_id)


async def forget_handled(db: Database, before: datetime) -> int:
    """Remove handled and set-aside updates received before `before`: Telegram sends an
    update again only within a day, and after a week with none it may start numbering
    anew, when an old id must not be taken for a repeat."""
    return await db.execute(
        "DELETE FROM updates_received WHERE received_at < ? AND status != ?",
        (to_db_time(before), WAITING))
