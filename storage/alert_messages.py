"""Messages between a member of staff and the person an alert is about, through carebot,
each kept on the alert's record (migration 0013 says why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, from_db_time, storable, to_db_time
from carebot.storage.outbox import NewMessage, add_message


@dataclass(frozen=True)
class Talking:
    """The member of staff a person is talking with about an alert."""

    alert_id: int
    staff_id: int
    since: datetime  # when staff last wrote


async def to_person(db: Database, *, alert_id: int, staff_id: int, person_id: int,
                    words: str, now: datetime, message: NewMessage) -> None:
    """Keep what staff wrote and queue it to the person, together."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO alert_messages (alert_id, staff_id, person_id, direction, text, "
            "created_at) VALUES (?, ?, ?, 'to_person', ?, ?)",
            (alert_id, staff_id, person_id, storable(words), to_db_time(now)))
        await add_message(tx, message, now)


async def talking_with(db: Database, person_id: int, since: datetime) -> Talking | None:
    """Who last wrote to this person about an alert, if it was after `since`."""
    row = await db.fetchone(
        "SELECT alert_id, staff_id, created_at FROM alert_messages WHERE person_id = ? AND "
        "direction = 'to_person' AND created_at >= ? ORDER BY id DESC LIMIT 1",
        (person_id, to_db_time(since)))
    if row is None:
        return None
    return Talking(row["alert_id"], row["staff_id"], from_db_time(row["created_at"]))


async def from_person(db: Database, *, talking: Talking, person_id: int, words: str,
                      message_id: int, now: datetime, message: NewMessage) -> None:
    """Keep the person's reply and queue it to the member of staff, together, once per
    message of theirs (handled again after a crash, it is not sent twice)."""
    async with db.transaction() as tx:
        kept = await tx.execute(
            "INSERT INTO alert_messages (alert_id, staff_id, person_id, direction, text, "
            "message_id, created_at) VALUES (?, ?, ?, 'from_person', ?, ?, ?) "
            "ON CONFLICT (person_id, message_id) WHERE message_id IS NOT NULL DO NOTHING",
            (talking.alert_id, talking.staff_id, person_id, storable(words), message_id,
             to_db_time(now)))
        if kept == 1:
            await add_message(tx, message, now)
