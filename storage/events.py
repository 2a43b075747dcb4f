"""A log of what happened that is not an answer: odd input, refused commands, failures."""

from __future__ import annotations

from datetime import datetime

from carebot.storage.db import Database, Row, Transaction, storable, to_db_time
from carebot.storage.models import EventKind


async def add_event(
    tx: Transaction, kind: EventKind, now: datetime, *, telegram_user_id: int | None = None,
    person_id: int | None = None, detail: str | None = None,
) -> None:
    """The one place events are written, inside the caller's transaction."""
    await tx.execute(
        "INSERT INTO events (at, kind, telegram_user_id, person_id, detail) "
        "VALUES (?, ?, ?, ?, ?)",
        (to_db_time(now), kind, telegram_user_id, person_id,
         None if detail is None else storable(detail)),
    )


async def log_event(
    db: Database, *, kind: EventKind, now: datetime, telegram_user_id: int | None = None,
    person_id: int | None = None, detail: str | None = None,
) -> None:
    async with db.transaction() as tx:
        await add_event(tx, kind, now, telegram_user_id=telegram_user_id,
                        person_id=person_id, detail=detail)


async def events_of_kind(db: Database, kind: EventKind) -> list[Row]:
    return await db.fetchall(
        "SELECT at, kind, telegram_user_id, person_id, detail FROM events WHERE kind = ? "
        "ORDER BY id",
        (kind,),
    )
