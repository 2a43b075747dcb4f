"""Safeguarding alerts: raised the moment worrying words are tagged, and acknowledged by
the duty contact. The alert and its message to the duty contact are written together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, to_db_time
from storage.models import Purpose
from storage.outbox import NewMessage, add_message


@dataclass(frozen=True)
class NewAlert:
    service_id: int
    about_id: int
    level: str                 # concern | urgent
    evidence: str
    answer_id: int | None = None
    issue_id: int | None = None


async def raise_alert(db: Database, alert: NewAlert, *, duty_contact_id: int | None,
                      duty_chat_id: int | None,
                      make_message: Callable[[int], tuple[str, str | None]],
                      now: datetime) -> int:
    """Keep the alert and, if the service has a duty contact, queue their message, made
    by `make_message(alert id)` as (text, reply markup JSON), in the same transaction."""
    async with db.transaction() as tx:
        alert_id = await tx.insert(
            "INSERT INTO alerts (service_id, about_id, answer_id, issue_id, level, evidence, "
            "duty_contact_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (alert.service_id, alert.about_id, alert.answer_id, alert.issue_id, alert.level,
             alert.evidence, duty_contact_id, to_db_time(now)),
        )
        if duty_chat_id is not None:
            words, markup = make_message(alert_id)
            await add_message(tx, NewMessage(
                duty_chat_id, Purpose.ALERT, person_id=duty_contact_id, text=words,
                reply_markup=markup, dedupe_key=f"alert:{alert_id}"), now)
    return alert_id


async def acknowledge(db: Database, alert_id: int, by_id: int, now: datetime) -> bool:
    """Only the alert's duty contact can acknowledge it, once."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? "
            "WHERE id = ? AND duty_contact_id = ? AND acknowledged_at IS NULL",
            (to_db_time(now), by_id, alert_id, by_id),
        )
    return cursor.rowcount == 1
