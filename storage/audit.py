"""The audit log: everything staff have done (issues moved, alert steps, actions
recorded), read from the `audit_log` view in time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, from_db_time, to_db_time


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    person_id: int | None   # who did it (for an alert passed on: who it went to)
    what: str               # e.g. "issue resolved", "alert escalated", "action recorded"
    about: str              # a reference (CB-1001, A-3) or a theme
    service_id: int
    note: str | None


async def audit_since(db: Database, since: datetime) -> list[AuditEntry]:
    rows = await db.fetchall(
        "SELECT at, person_id, what, about, service_id, note FROM audit_log WHERE at >= ? "
        "ORDER BY at", (to_db_time(since),))
    return [AuditEntry(from_db_time(r["at"]), r["person_id"], r["what"], r["about"] or "",
                       r["service_id"], r["note"]) for r in rows]
