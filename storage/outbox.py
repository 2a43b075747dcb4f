"""Messages waiting to be sent. A row is claimed before it is sent and closed after,
so a restart sends every pending message and never sends a sent one again."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.db import Database, to_db_time
from storage.models import OutboxMessage

_COLUMNS = (
    "id, chat_id, person_id, purpose, text, reply_markup, document_path, checkin_id, attempts"
)


def _message(row: aiosqlite.Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        chat_id=row["chat_id"],
        person_id=row["person_id"],
        purpose=row["purpose"],
        text=row["text"],
        reply_markup=row["reply_markup"],
        document_path=row["document_path"],
        checkin_id=row["checkin_id"],
        attempts=row["attempts"],
    )


async def enqueue(
    db: Database, *, chat_id: int, purpose: str, now: datetime, text: str | None = None,
    person_id: int | None = None, reply_markup: str | None = None,
    document_path: str | None = None, dedupe_key: str | None = None,
) -> int | None:
    """Queue a message. With a `dedupe_key` already used, nothing is queued (None)."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "INSERT INTO outbox (chat_id, person_id, purpose, text, reply_markup, document_path, "
            "dedupe_key, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (dedupe_key) DO NOTHING",
            (chat_id, person_id, purpose, text, reply_markup, document_path, dedupe_key,
             to_db_time(now), to_db_time(now)),
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None


async def claim_pending(db: Database, now: datetime, limit: int) -> list[OutboxMessage]:
    """Mark up to `limit` due messages as being sent, and return them."""
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' AND not_before <= ? "
            "ORDER BY id LIMIT ?",
            (to_db_time(now), limit),
        )
        await tx.executemany(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?",
            [(row["id"],) for row in rows],
        )
    return [_message(row) for row in rows]


async def mark_sent(db: Database, outbox_id: int, message_id: int, now: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, error = NULL "
            "WHERE id = ?",
            (to_db_time(now), message_id, outbox_id),
        )


async def mark_retry(db: Database, outbox_id: int, not_before: datetime, error: str) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET status = 'pending', not_before = ?, error = ? WHERE id = ?",
            (to_db_time(not_before), error, outbox_id),
        )


async def mark_failed(db: Database, outbox_id: int, status: str, error: str) -> None:
    """`status` is 'failed' (gave up) or 'blocked' (the person blocked the bot)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET status = ?, error = ? WHERE id = ?", (status, error, outbox_id)
        )


async def release_interrupted(db: Database) -> int:
    """After a crash, rows left 'sending' were never confirmed: send them again.

    A crash in the instant between Telegram accepting a message and this row being
    closed can repeat that one message; that is the only way a repeat can happen.
    """
    async with db.transaction() as tx:
        cursor = await tx.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
    return cursor.rowcount
