"""What would stop carebot from doing its job, read from the directory: whom an alert
could not reach, and invites about to lapse. `carebot check` lists these; `carebot run`
logs them at start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from carebot.storage import directory
from carebot.storage.db import Database, to_db_time
from carebot.storage.models import PersonStatus, Role

INVITES_LAPSING_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class Gap:
    """One thing to put right, in words an admin can act on."""

    what: str
    fix: str  # the command that puts it right


async def gaps(db: Database, now: datetime) -> list[Gap]:
    found = await _nothing_set_up(db)
    found += [Gap(f"Service {s.id} ({s.name}) has no duty contact the bot can reach: its "
                 "safeguarding alerts would go to its backup or the council's lead only.",
                 f"carebot services set-duty-contact --service {s.id} --person ID "
                 "(carebot people lists the ids)")
             for s in await directory.services_without_reachable_duty_contact(db)]
    found += [Gap(f"Council {row['id']} ({row['name']}) has no safeguarding lead the bot "
                  "can reach: the last step of every alert's chain.",
                  f"carebot council set-safeguarding-lead --council {row['id']} --person ID "
                  "(carebot people lists the ids)")
              for row in await _councils_without_reachable_lead(db)]
    found += [Gap(f"Commissioner {row['id']} belongs to no council, so gets no digest.",
                  "carebot invite --role commissioner --organisation ID")
              for row in await _commissioners_without_council(db)]
    # Only the start of an invite's code: the whole code lets anyone join, and this goes
    # to the log too.
    found += [Gap(f"Invite {row['code'][:4]}… for a {row['role']} lapses on "
                  f"{row['expires_at'][:10]} unused.", "carebot invite list; make a new one "
                  "if it is still wanted") for row in await _invites_lapsing(db, now)]
    return found


async def _nothing_set_up(db: Database) -> list[Gap]:
    """A new database: no council to send digests and alerts to, no service to join."""
    found = []
    if not await directory.organisations(db, "council"):
        found.append(Gap("There is no council yet: digests and the last step of every "
                         "alert need one.",
                         "carebot add-organisation --kind council --name 'NAME'"))
    if not await db.scalar("SELECT COUNT(*) FROM services"):
        found.append(Gap("There is no service yet, so no one can be invited to give "
                         "feedback.", "carebot add-service --council ID --provider ID "
                         "--name 'NAME' --kind 'home care'"))
    return found


async def _councils_without_reachable_lead(db: Database) -> list[dict[str, object]]:
    rows = await db.fetchall(
        "SELECT o.id, o.name FROM organisations o LEFT JOIN people p "
        "ON p.id = o.safeguarding_lead_id WHERE o.kind = 'council' AND (p.id IS NULL "
        f"OR NOT {directory.reachable_sql('p')}) ORDER BY o.id", directory.REACHABLE_PARAMS)
    return [dict(row) for row in rows]


async def _commissioners_without_council(db: Database) -> list[dict[str, object]]:
    rows = await db.fetchall(
        "SELECT p.id FROM people p LEFT JOIN organisations o "
        "ON o.id = p.organisation_id AND o.kind = 'council' "
        "WHERE p.role = ? AND p.status = ? AND o.id IS NULL ORDER BY p.id",
        (Role.COMMISSIONER, PersonStatus.ACTIVE))
    return [dict(row) for row in rows]


async def _invites_lapsing(db: Database, now: datetime) -> list[dict[str, str]]:
    rows = await db.fetchall(
        "SELECT code, role, expires_at FROM invites WHERE used_at IS NULL "
        "AND revoked_at IS NULL AND expires_at > ? AND expires_at <= ? ORDER BY expires_at",
        (to_db_time(now), to_db_time(now + INVITES_LAPSING_WITHIN)))
    return [dict(row) for row in rows]
