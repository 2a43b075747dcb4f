"""People and services as they change: a member of staff paused or leaving (what they
held handed to another), a person moving to another service (their history staying with
the old one), a service closing. Each change is one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from carebot.storage.db import Database, Transaction, to_db_time
from carebot.storage.models import AlertOutcome, CheckInStatus, PersonStatus, Role


@dataclass(frozen=True)
class Held:
    """What a member of staff is named for: the alert chain's steps that reach them."""

    duty_for: list[str] = field(default_factory=list)     # services' names
    backup_for: list[str] = field(default_factory=list)
    lead_for: list[str] = field(default_factory=list)     # councils' names
    alerts: int = 0  # open alerts they hold or said they would deal with


async def held_by(db: Database, person_id: int) -> Held:
    names = [[str(r[0]) for r in await db.fetchall(sql, (person_id,))] for sql in (
        "SELECT name FROM services WHERE duty_contact_id = ? ORDER BY name",
        "SELECT name FROM services WHERE backup_contact_id = ? ORDER BY name",
        "SELECT name FROM organisations WHERE safeguarding_lead_id = ? ORDER BY name")]
    alerts = await db.scalar(_HELD_ALERTS.format(what="COUNT(*)"),
                             (person_id, person_id, AlertOutcome.DEALING))
    duty, backup, lead = names
    return Held(duty, backup, lead, int(alerts))


# Open alerts with this person: waiting on them, or taken by them ("I will deal with
# it") and not yet done; the alert chain moves both on when escalate_at comes.
_HELD_ALERTS = ("SELECT {what} FROM alerts WHERE acknowledged_at IS NULL AND escalate_at IS "
                "NOT NULL AND (duty_contact_id = ? OR (acknowledged_by = ? AND outcome = ?))")


async def stop_staff(db: Database, person_id: int, now: datetime) -> None:
    """Paused or left: the bot sends them nothing, and /start does not bring them back."""
    async with db.transaction() as tx:
        await _stopped(tx, person_id, now)


async def _stopped(tx: Transaction, person_id: int, now: datetime) -> None:
    await tx.execute("UPDATE people SET status = ?, admin_stopped_at = ? WHERE id = ?",
                     (PersonStatus.STOPPED, to_db_time(now), person_id))
    await tx.execute("DELETE FROM drafts WHERE person_id = ?", (person_id,))


async def resume_staff(db: Database, person_id: int) -> bool:
    """Back from a pause; False if an admin had not stopped them."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE people SET status = ?, admin_stopped_at = NULL WHERE id = ? AND "
            "admin_stopped_at IS NOT NULL", (PersonStatus.ACTIVE, person_id))
    return changed == 1


async def hand_over(db: Database, leaver_id: int, taker_id: int, now: datetime) -> Held:
    """The leaver's places in the alert chain go to the taker; the alerts waiting on the
    leaver, or taken by them, are due at once, so the next tick passes each on along the
    chain (which now has the taker in it); the leaver is stopped. What was handed over."""
    held = await held_by(db, leaver_id)
    async with db.transaction() as tx:
        for column, table in (("duty_contact_id", "services"), ("backup_contact_id", "services"),
                              ("safeguarding_lead_id", "organisations")):
            await tx.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                             (taker_id, leaver_id))
        await tx.execute(
            f"UPDATE alerts SET escalate_at = ? WHERE id IN ({_HELD_ALERTS.format(what='id')})",
            (to_db_time(now), leaver_id, leaver_id, AlertOutcome.DEALING))
        await _stopped(tx, leaver_id, now)
    return held


@dataclass(frozen=True)
class Moved:
    carers: list[int]   # the carers who moved with the person they care for
    checkins: int       # check-ins queued and not yet sent, now about the new service


async def move_person(db: Database, person_id: int, service_id: int,
                      provider_id: int) -> Moved:
    """The person (and their carers) now belong to the new service. What they said
    before stays with the old one: answers, check-ins and issues keep their service."""
    async with db.transaction() as tx:
        carers = [int(r[0]) for r in await tx.fetchall(
            "SELECT id FROM people WHERE cares_for_id = ? AND role = ?",
            (person_id, Role.CARER))]
        for moving in (person_id, *carers):
            await tx.execute("UPDATE people SET service_id = ?, organisation_id = ? "
                             "WHERE id = ?", (service_id, provider_id, moving))
        changed = await tx.execute(
            "UPDATE checkins SET service_id = ? WHERE person_id = ? AND status = ?",
            (service_id, person_id, CheckInStatus.QUEUED))
    return Moved(carers, changed)


@dataclass(frozen=True)
class Closed:
    stopped: list[int]  # the people and carers still there, who will be asked no more
    invites: int        # waiting invites that no longer work


async def close_service(db: Database, service_id: int, now: datetime) -> Closed:
    """No one is asked about it any more, and its waiting invites stop working; its
    history stays, for reports of the time it ran."""
    async with db.transaction() as tx:
        still_there = [int(r[0]) for r in await tx.fetchall(
            "SELECT id FROM people WHERE service_id = ? AND role IN (?, ?) AND status IN "
            "(?, ?)", (service_id, Role.PERSON, Role.CARER, PersonStatus.ACTIVE,
                       PersonStatus.AWAITING_CONSENT))]
        for person_id in still_there:
            await _stopped(tx, person_id, now)
        changed = await tx.execute(
            "UPDATE invites SET revoked_at = ? WHERE service_id = ? AND used_at IS NULL AND "
            "revoked_at IS NULL", (to_db_time(now), service_id))
        await tx.execute("UPDATE services SET closed_at = ? WHERE id = ?",
                         (to_db_time(now), service_id))
    return Closed(still_there, changed)


async def people_at(db: Database, service_id: int) -> int:
    """People and carers of a service who are in, or joining, the conversation."""
    return int(await db.scalar(
        "SELECT COUNT(*) FROM people WHERE service_id = ? AND role IN (?, ?) AND status IN "
        "(?, ?)", (service_id, Role.PERSON, Role.CARER, PersonStatus.ACTIVE,
                   PersonStatus.AWAITING_CONSENT)))
