"""How much a run of carebot did, counted whole: for the demo's closing story, which says
what three weeks of check-ins, feedback and alerts came to."""

from __future__ import annotations

from dataclasses import dataclass

from carebot.storage.db import Database
from carebot.storage.models import CheckInStatus


@dataclass(frozen=True)
class Tally:
    checkins_sent: int
    checkins_finished: int
    answers: int
    issues: int
    alerts: int
    alerts_to_duty: int  # given to the duty contact first
    alerts_passed_up: int  # steps up the chain when nobody acted in time


async def tally(db: Database, duty_contact_id: int) -> Tally:
    async def count(sql: str, params: tuple[object, ...] = ()) -> int:
        return int(await db.scalar(sql, params) or 0)

    return Tally(
        await count("SELECT COUNT(*) FROM checkins WHERE sent_at IS NOT NULL"),
        await count("SELECT COUNT(*) FROM checkins WHERE status = ?",
                    (CheckInStatus.COMPLETED.value,)),
        await count("SELECT COUNT(*) FROM answers"),
        await count("SELECT COUNT(*) FROM issues"),
        await count("SELECT COUNT(*) FROM alerts"),
        await count("SELECT COUNT(*) FROM alert_updates WHERE what = 'sent' AND to_id = ?",
                    (duty_contact_id,)),
        await count("SELECT COUNT(*) FROM alert_updates WHERE what = 'escalated'"),
    )
