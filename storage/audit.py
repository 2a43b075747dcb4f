"""The audit log: everything staff and admins have done, in time order, with names read
back from today's directory (never stored in the log itself, so a person who is
forgotten is forgotten here too).

Two sources: the `audit_log` view over what staff did to issues, alerts and actions, and
`audit_events`, which only ever gains rows (triggers refuse a change or a delete): each
admin command, and each time a member of staff was shown people's words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, from_db_time, to_db_time
from carebot.storage.models import PersonStatus

FORGOTTEN = "(forgotten)"
WORDS_SHOWN = "words shown"  # a member of staff was shown what a person said


@dataclass(frozen=True)
class AuditEvent:
    """One thing done, as it is kept: ids, never names or people's words."""

    what: str
    actor: str | None = None            # the account that ran an admin command
    actor_id: int | None = None         # or the member of staff who did it
    subject_id: int | None = None       # whom it was about, or whose words were shown
    service_id: int | None = None
    organisation_id: int | None = None
    detail: str | None = None


async def record(db: Database, events: Sequence[AuditEvent], now: datetime) -> None:
    """Keep these events, all together."""
    if not events:
        return
    async with db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO audit_events (at, actor, actor_id, what, subject_id, service_id, "
            "organisation_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(to_db_time(now), e.actor, e.actor_id, e.what, e.subject_id, e.service_id,
              e.organisation_id, e.detail) for e in events])


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str        # a member of staff's name and role, or the admin's account
    what: str       # e.g. "issue resolved", "alert escalated", "carebot invite"
    about: str      # a reference (CB-1001, A-3), a person's name, a theme
    service: str    # the service's name, or "" when it was about none
    note: str       # a staff note, or an admin command's options


def _name(alias: str) -> str:
    """A person's name as the log shows it: forgotten people are not named."""
    return (f"CASE WHEN {alias}.status = '{PersonStatus.FORGOTTEN}' THEN '{FORGOTTEN}' "
            f"ELSE {alias}.display_name END")


_ENTRIES = f"""
SELECT l.at, {_name('p')} || ' (' || p.role || ')' AS who, l.what, l.about,
       s.name AS service, l.note
  FROM audit_log l LEFT JOIN people p ON p.id = l.person_id
  LEFT JOIN services s ON s.id = l.service_id WHERE l.at >= ?
UNION ALL
SELECT e.at, COALESCE('admin ' || e.actor, {_name('a')} || ' (' || a.role || ')'), e.what,
       TRIM(COALESCE({_name('subject')}, '') || ' ' || COALESCE(o.name, '')),
       COALESCE(s.name, ''), COALESCE(e.detail, '')
  FROM audit_events e LEFT JOIN people a ON a.id = e.actor_id
  LEFT JOIN people subject ON subject.id = e.subject_id
  LEFT JOIN services s ON s.id = e.service_id
  LEFT JOIN organisations o ON o.id = e.organisation_id WHERE e.at >= ?
ORDER BY 1
"""


async def audit_since(db: Database, since: datetime) -> list[AuditEntry]:
    rows = await db.fetchall(_ENTRIES, (to_db_time(since), to_db_time(since)))
    return [AuditEntry(from_db_time(r["at"]), r["who"] or "-", r["what"], r["about"] or "",
                       r["service"] or "", r["note"] or "") for r in rows]
