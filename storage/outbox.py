"""Messages waiting to be sent. A row is claimed before it is sent and closed after,
so a restart sends every pending message and never sends a sent one again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, Row, Statement, Transaction, to_db_time
from carebot.storage.models import Buttons, OutboxMessage, OutboxStatus, Purpose

_COLUMNS = (
    "id, chat_id, person_id, purpose, text, reply_markup, buttons, document_path, checkin_id, "
    "attempts, created_at"
)


def _message(row: Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        chat_id=row["chat_id"],
        person_id=row["person_id"],
        purpose=Purpose(row["purpose"]),
        text=row["text"],
        reply_markup=row["reply_markup"],
        buttons=Buttons.from_stored(row["buttons"]),
        document_path=row["document_path"],
        checkin_id=row["checkin_id"],
        attempts=row["attempts"],
        created_at=row["created_at"],
    )


# Most urgent first (migration 0010 says why): a risk, then one person's reply or news,
# then what goes to many at once.
PRIORITY = {Purpose.ALERT: 0, Purpose.TALK_REQUEST: 0,
            Purpose.CHECKIN_START: 2, Purpose.CHECKIN_REMINDER: 2, Purpose.DIGEST: 2,
            Purpose.DIGEST_FILE: 2, Purpose.ACTION: 2}
ONE_PERSON = 1


@dataclass(frozen=True)
class NewMessage:
    """A message to send. A check-in's messages carry `checkin_id` and are built when they
    go; the others carry their text (or a document), and buttons: what they mean
    (`buttons`, built into a keyboard when sent), or a keyboard a handler built on the
    spot, as JSON (`reply_markup`)."""

    chat_id: int
    purpose: Purpose
    person_id: int | None = None
    text: str | None = None
    reply_markup: str | None = None
    buttons: Buttons | None = None
    document_path: str | None = None
    checkin_id: int | None = None
    dedupe_key: str | None = None  # a message with a key already used is not queued
    not_before: datetime | None = None  # e.g. the end of quiet hours; None: now


_INTO = (
    "INSERT INTO outbox (chat_id, person_id, purpose, priority, text, reply_markup, buttons, "
    "document_path, checkin_id, dedupe_key, not_before, created_at, status, attempts)"
)
_VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
_INSERT = f"{_INTO} VALUES ({_VALUES})"


def _values(message: NewMessage, now: datetime, status: OutboxStatus,
            attempts: int) -> tuple[object, ...]:
    return (message.chat_id, message.person_id, message.purpose,
            PRIORITY.get(message.purpose, ONE_PERSON), message.text, message.reply_markup,
            None if message.buttons is None else message.buttons.stored(),
            message.document_path, message.checkin_id, message.dedupe_key,
            to_db_time(message.not_before or now), to_db_time(now), status, attempts)


async def add_message(tx: Transaction, message: NewMessage, now: datetime) -> int | None:
    """The one place outbox rows are queued, inside the caller's transaction, so a
    message is queued together with the change that causes it. None: a duplicate."""
    made = await tx.fetchone(f"{_INSERT} ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                             _values(message, now, OutboxStatus.PENDING, 0))
    return None if made is None else int(made["id"])


async def enqueue(db: Database, message: NewMessage, now: datetime) -> int | None:
    """Queue a message on its own."""
    async with db.transaction() as tx:
        return await add_message(tx, message, now)


async def add_claimed(db: Database, message: NewMessage,
                      now: datetime) -> OutboxMessage | None:
    """Write a message already claimed for sending by the caller, who sends it at once. If
    that fails it waits for the sender like any other; after a crash it is sent again.
    None: its dedupe key was used before, so it is not written or sent again."""
    rows = await db.returning(*claimed(message, now))
    return claimed_message(rows)


def claimed(message: NewMessage, now: datetime, *, if_changed: bool = False) -> Statement:
    """The statement that writes `message` claimed for sending at once, and reads it back
    (INSERT … RETURNING: one trip; a reply is written on every tap); nothing, if its
    dedupe key was used before. `if_changed`: only if the statement before it, in
    `Database.together`, changed a row. Read it with `claimed_message`."""
    values = _values(message, now, OutboxStatus.SENDING, 1)
    returning = f"ON CONFLICT (dedupe_key) DO NOTHING RETURNING {_COLUMNS}"
    if not if_changed:
        return f"{_INSERT} {returning}", values
    return f"{_INTO} SELECT {_VALUES} WHERE changes() = 1 {returning}", values


def claimed_message(rows: list[Row]) -> OutboxMessage | None:
    return _message(rows[0]) if rows else None


async def claim_pending(db: Database, now: datetime, limit: int) -> list[OutboxMessage]:
    """Mark up to `limit` due messages as being sent, most urgent first, and return them."""
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            f"SELECT {_COLUMNS} FROM outbox WHERE status = ? AND not_before <= ? "
            "ORDER BY priority, id LIMIT ?",
            (OutboxStatus.PENDING, to_db_time(now), limit),
        )
        await tx.executemany(
            "UPDATE outbox SET status = ?, attempts = attempts + 1 WHERE id = ?",
            [(OutboxStatus.SENDING, row["id"]) for row in rows],
        )
    return [_message(row) for row in rows]


async def mark_sent(db: Database, outbox_id: int, message_id: int, now: datetime,
                    *also: Statement) -> None:
    """Sent: with `also`, written in the same trip (e.g. which message a check-in shows)."""
    await db.together(
        ("UPDATE outbox SET status = ?, sent_at = ?, message_id = ?, error = NULL "
         "WHERE id = ?", (OutboxStatus.SENT, to_db_time(now), message_id, outbox_id)),
        *also)


async def mark_retry(db: Database, outbox_id: int, not_before: datetime, error: str) -> None:
    await db.execute("UPDATE outbox SET status = ?, not_before = ?, error = ? WHERE id = ?",
                     (OutboxStatus.PENDING, to_db_time(not_before), error, outbox_id))


async def mark_failed(db: Database, outbox_id: int, status: OutboxStatus, error: str) -> None:
    """`status` is FAILED (gave up) or BLOCKED (the person blocked the bot)."""
    await db.execute("UPDATE outbox SET status = ?, error = ? WHERE id = ?",
                     (status, error, outbox_id))


async def release_interrupted(db: Database) -> int:
    """After a crash, rows left 'sending' were never confirmed: send them again.

    Telegram may have taken some of them just before the crash, so those repeat. The
    sender keeps at most `max_in_flight` rows 'sending', so at most that many can repeat.
    """
    async with db.transaction() as tx:
        changed = await tx.execute("UPDATE outbox SET status = ? WHERE status = ?",
                                   (OutboxStatus.PENDING, OutboxStatus.SENDING))
    return changed
