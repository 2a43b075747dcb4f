"""How the service is doing right now, read from the database for `/healthz` and
`/metrics`: what waits to be sent, what is due, which alerts nobody has acted on. Each is
one query an index answers, so asking every few seconds costs nothing at a council's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, from_db_time, to_db_time
from carebot.storage.directory import REACHABLE_PARAMS, reachable_sql
from carebot.storage.models import OutboxStatus


@dataclass(frozen=True)
class Vitals:
    outbox_backlog: int            # messages waiting to go, or going
    oldest_waiting_seconds: float  # how long the oldest of them has waited (0: none)
    checkins_due: int              # scheduled check-ins due now and not yet opened
    alerts_open: int               # safeguarding alerts nobody has acknowledged
    oldest_open_alert_seconds: float


async def vitals(db: Database, now: datetime) -> Vitals:
    outbox = await db.fetchone(
        "SELECT count(*), min(created_at) FROM outbox WHERE status IN (?, ?)",
        (OutboxStatus.PENDING, OutboxStatus.SENDING))
    due = await db.scalar(
        "SELECT count(*) FROM schedules s JOIN people p ON p.id = s.person_id "
        f"WHERE s.active = 1 AND s.next_due_at <= ? AND {reachable_sql('p')} "
        "AND p.service_id IS NOT NULL "
        "AND (s.paused_until IS NULL OR s.paused_until <= ?)",
        (to_db_time(now), *REACHABLE_PARAMS, to_db_time(now)))
    alerts = await db.fetchone(
        "SELECT count(*), min(created_at) FROM alerts WHERE acknowledged_at IS NULL")
    assert outbox is not None and alerts is not None
    return Vitals(outbox_backlog=outbox[0], oldest_waiting_seconds=_age(outbox[1], now),
                  checkins_due=int(due or 0), alerts_open=alerts[0],
                  oldest_open_alert_seconds=_age(alerts[1], now))


def _age(stored: str | None, now: datetime) -> float:
    return 0.0 if stored is None else max((now - from_db_time(stored)).total_seconds(), 0.0)
