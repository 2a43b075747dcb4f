"""Alerts: a safeguarding risk, or a request to talk to a person. Raised at once, sent to
the first person in the service's chain who can be reached, and passed up the chain
(duty contact, backup, council safeguarding lead) while nobody acts, by the alert policy
(care/alert_policy.py). Every step is an alert_updates row written in the same
transaction as the change and its message, so a restart repeats no step and loses none."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from carebot.care import alert_policy
from carebot.care.alert_policy import still_open
from carebot.storage.db import (
    Database,
    Row,
    Transaction,
    from_db_time,
    maybe_time,
    storable,
    to_db_time,
)
from carebot.storage.directory import REACHABLE_PARAMS, reachable_sql
from carebot.storage.models import AlertKind, AlertOutcome
from carebot.storage.outbox import NewMessage, add_message
from carebot.storage.reference_floors import next_id_sql

_COLUMNS = ("id, kind, service_id, about_id, answer_id, issue_id, level, evidence, "
            "duty_contact_id, step, escalate_at, acknowledged_at, acknowledged_by, outcome, "
            "created_at, names_staff, released_at")


@dataclass(frozen=True)
class NewAlert:
    service_id: int
    about_id: int
    level: str                 # a RiskLevel (care/alert_policy.py): concern | urgent
    evidence: str | None
    answer_id: int | None = None
    issue_id: int | None = None
    kind: AlertKind = AlertKind.SAFEGUARDING
    names_staff: bool = False  # accuses someone paid to care (understanding/allegations.py)


@dataclass(frozen=True)
class Alert:
    id: int
    kind: AlertKind
    service_id: int
    about_id: int | None
    answer_id: int | None
    issue_id: int | None
    level: str
    evidence: str | None
    holder_id: int | None           # who has it now (the last person it was sent to)
    step: int                       # where in the chain it is (0: the duty contact)
    escalate_at: datetime | None    # when it climbs again unless someone acts
    acknowledged_at: datetime | None
    acknowledged_by: int | None
    outcome: AlertOutcome | None
    created_at: datetime
    names_staff: bool = False
    released: bool = False  # the provider may now see its words (names_staff only)


@dataclass(frozen=True)
class AlertStep:
    """One thing that happened to an alert, for the history shown up the chain."""

    what: str
    step: int
    to_id: int | None
    by_id: int | None
    note: str | None
    at: datetime


@dataclass(frozen=True)
class Handover:
    """Giving an alert to someone: who, at which step of the chain, with what message,
    and when it climbs again unless someone acts. No `to_id`: nobody could be reached."""

    step: int
    to_id: int | None
    messages: Sequence[NewMessage]
    escalate_at: datetime | None
    # Others sent it at the same time, as (step, person id): they may act on it too.
    also_to: Sequence[tuple[int, int]] = ()


def _alert(row: Row) -> Alert:
    return Alert(
        id=row["id"], kind=AlertKind(row["kind"]), service_id=row["service_id"],
        about_id=row["about_id"], answer_id=row["answer_id"], issue_id=row["issue_id"],
        level=row["level"], evidence=row["evidence"], holder_id=row["duty_contact_id"],
        step=row["step"], escalate_at=maybe_time(row["escalate_at"]),
        acknowledged_at=maybe_time(row["acknowledged_at"]),
        acknowledged_by=row["acknowledged_by"],
        outcome=None if row["outcome"] is None else AlertOutcome(row["outcome"]),
        created_at=from_db_time(row["created_at"]), names_staff=bool(row["names_staff"]),
        released=row["released_at"] is not None,
    )


async def _add_step(tx: Transaction, alert_id: int, what: str, step: int, now: datetime, *,
                    to_id: int | None = None, by_id: int | None = None,
                    note: str | None = None) -> None:
    await tx.execute(
        "INSERT INTO alert_updates (alert_id, what, step, to_id, by_id, note, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (alert_id, what, step, to_id, by_id, None if note is None else storable(note),
         to_db_time(now)))


async def _hand_over(tx: Transaction, alert_id: int, handover: Handover, what: str,
                     now: datetime) -> None:
    await tx.execute("UPDATE alerts SET duty_contact_id = ?, step = ?, escalate_at = ? "
                     "WHERE id = ?",
                     (handover.to_id, handover.step,
                      None if handover.escalate_at is None else to_db_time(handover.escalate_at),
                      alert_id))
    await _add_step(tx, alert_id, what if handover.to_id is not None else "nobody",
                    handover.step, now, to_id=handover.to_id)
    for step, person_id in handover.also_to:
        await _add_step(tx, alert_id, what, step, now, to_id=person_id)
    for message in handover.messages:
        await add_message(tx, message, now)


@dataclass
class RaisedAlert:
    """An alert being raised, inside its transaction: its id, and whether these words
    raised it before (handled again after a crash: it is handed to nobody again)."""

    id: int
    before: bool
    _tx: Transaction
    _now: datetime
    _open: bool = True
    _handed: bool = False

    async def hand_over(self, handover: Handover) -> None:
        """Give the new alert to the first person who can act, with their messages: once,
        inside the `raising` block."""
        if not self._open or self._handed:
            raise RuntimeError(f"alert {self.id} is handed over once, inside its raising")
        self._handed = True
        if not self.before:
            await _hand_over(self._tx, self.id, handover, "sent", self._now)


@asynccontextmanager
async def raising(db: Database, alert: NewAlert, now: datetime) -> AsyncIterator[RaisedAlert]:
    """Keep the alert, and, in the same transaction, let the caller hand it over with
    messages that name it (`raised.hand_over(...)`, once it knows the id): the alert and
    who was sent it are written together or not at all. A block that never hands it over
    keeps nothing (an alert nobody holds and nothing chases would be lost); the block
    must not write through `db` itself, whose writer this transaction holds."""
    async with db.transaction() as tx:
        if before := await _raised_before(tx, alert):
            yield RaisedAlert(before, True, tx, now)
            return
        alert_id = await tx.insert(
            "INSERT INTO alerts (id, kind, service_id, about_id, answer_id, issue_id, level, "
            f"evidence, names_staff, created_at) VALUES ({next_id_sql('alert')}, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?)",
            (alert.kind, alert.service_id, alert.about_id, alert.answer_id, alert.issue_id,
             alert.level, alert.evidence, int(alert.names_staff), to_db_time(now)))
        raised = RaisedAlert(alert_id, False, tx, now)
        try:
            yield raised
        finally:
            raised._open = False
        if not raised._handed:
            raise RuntimeError(f"alert {alert_id} was raised but handed to nobody")


async def raise_alert(db: Database, alert: NewAlert, *, handover: Handover,
                      now: datetime) -> int:
    """Keep the alert and hand it over as `handover` says, whose messages need not name
    it (the alert chain's do: workflow/alert_chain.py uses `raising`)."""
    async with raising(db, alert, now) as raised:
        await raised.hand_over(handover)
    return raised.id


async def held_from_provider(db: Database, issue_id: int) -> bool:
    """Whether the issue's words accuse someone paid to care and the council's lead has
    not yet let the provider see them."""
    return await db.scalar("SELECT 1 FROM alerts WHERE issue_id = ? AND names_staff = 1 "
                           "AND released_at IS NULL", (issue_id,)) is not None


async def release(db: Database, alert_id: int, now: datetime,
                  tell: Sequence[NewMessage]) -> bool:
    """Let the provider see the problem's name and words (`tell`, queued with it), once;
    False if it was released before."""
    async with db.transaction() as tx:
        changed = await tx.execute("UPDATE alerts SET released_at = ? WHERE id = ? AND "
                                   "names_staff = 1 AND released_at IS NULL",
                                   (to_db_time(now), alert_id))
        if changed != 1:
            return False
        for message in tell:
            await add_message(tx, message, now)
    return True


async def _raised_before(tx: Transaction, alert: NewAlert) -> int | None:
    """The alert these same words raised before at this level, if any."""
    if alert.answer_id is None and alert.issue_id is None:
        return None
    column, source = (("answer_id", alert.answer_id) if alert.answer_id is not None
                      else ("issue_id", alert.issue_id))
    row = await tx.fetchone(f"SELECT id FROM alerts WHERE {column} = ? AND kind = ? AND "
                            "level = ?", (source, alert.kind, alert.level))
    return None if row is None else int(row["id"])


async def escalate(db: Database, alert: Alert, handover: Handover, now: datetime) -> bool:
    """Pass an alert nobody has acted on to the next person (or chase again); False, and
    nothing written, if it moved or was acted on meanwhile."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE alerts SET step = step WHERE id = ? AND step = ? AND "
            "acknowledged_at IS NULL AND escalate_at IS NOT DISTINCT FROM ?",
            (alert.id, alert.step,
             None if alert.escalate_at is None else to_db_time(alert.escalate_at)))
        if changed != 1:
            return False
        await _hand_over(tx, alert.id, handover, "escalated", now)
    return True


async def to_escalate(db: Database, now: datetime) -> list[Alert]:
    """Alerts nobody has acted on whose time is up, or whose holder can no longer be
    reached (blocked the bot, left): those go up the chain now, not after the wait."""
    rows = await db.fetchall(
        f"SELECT {', '.join('a.' + c for c in _COLUMNS.split(', '))} FROM alerts a "
        "LEFT JOIN people p ON p.id = a.duty_contact_id "
        "WHERE a.acknowledged_at IS NULL AND a.escalate_at IS NOT NULL AND "
        f"(a.escalate_at <= ? OR (p.id IS NOT NULL AND NOT {reachable_sql('p')})) "
        "ORDER BY a.escalate_at", (to_db_time(now), *REACHABLE_PARAMS))
    return [_alert(row) for row in rows]


async def get_alert(db: Database, alert_id: int) -> Alert | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM alerts WHERE id = ?", (alert_id,))
    return None if row is None else _alert(row)


async def history(db: Database, alert_id: int) -> list[AlertStep]:
    rows = await db.fetchall(
        "SELECT what, step, to_id, by_id, note, created_at FROM alert_updates "
        "WHERE alert_id = ? ORDER BY id", (alert_id,))
    return [AlertStep(r["what"], r["step"], r["to_id"], r["by_id"], r["note"],
                      from_db_time(r["created_at"])) for r in rows]


async def was_told(db: Database, alert_id: int, person_id: int) -> bool:
    """Whether the alert was ever sent to this person: only they may act on it."""
    found = await db.scalar(
        "SELECT 1 FROM alert_updates WHERE alert_id = ? AND to_id = ? AND "
        "what IN ('sent', 'escalated')", (alert_id, person_id))
    return found is not None


def next_outcomes(alert: Alert) -> tuple[AlertOutcome, ...]:
    """What may be said of the alert now (the rule: care/alert_policy.py)."""
    return alert_policy.next_outcomes(alert.kind, alert.outcome)


async def act(db: Database, *, alert_id: int, by_id: int, outcome: AlertOutcome,
              note: str | None, now: datetime, tell: Sequence[NewMessage] = (),
              follow_up_at: datetime | None = None) -> Alert | None:
    """Someone who was told says what they did, and `tell` (the others) is queued with
    it. The first act stops the chain; "I will deal with it" is followed up at
    `follow_up_at` until they say they have contacted the person. None, and nothing written,
    if that cannot follow what was said before (a double tap)."""
    async with db.transaction() as tx:
        row = await tx.fetchone(f"SELECT {_COLUMNS} FROM alerts WHERE id = ?", (alert_id,))
        if row is None or outcome not in next_outcomes(_alert(row)):
            return None
        open_until = follow_up_at if still_open(outcome) else None
        await tx.execute(
            "UPDATE alerts SET outcome = ?, escalate_at = ?, "
            "acknowledged_at = CASE WHEN ? THEN acknowledged_at "
            "ELSE COALESCE(acknowledged_at, ?) END, "
            "acknowledged_by = COALESCE(acknowledged_by, ?) WHERE id = ?",
            (outcome, None if open_until is None else to_db_time(open_until),
             open_until is not None, to_db_time(now), by_id, alert_id))
        await _add_step(tx, alert_id, outcome, _alert(row).step, now, by_id=by_id, note=note)
        for message in tell:
            await add_message(tx, message, now)
        acted = await tx.fetchone(f"SELECT {_COLUMNS} FROM alerts WHERE id = ?", (alert_id,))
    return None if acted is None else _alert(acted)


async def safeguarding_alert_on(db: Database, *, answer_id: int | None,
                                issue_id: int | None) -> int | None:
    """The safeguarding alert these words raised already, if they raised one."""
    if answer_id is None and issue_id is None:
        return None
    found = await db.scalar(
        "SELECT id FROM alerts WHERE kind = ? AND (answer_id = ? OR issue_id = ?) "
        "ORDER BY id LIMIT 1", (AlertKind.SAFEGUARDING, answer_id, issue_id))
    return None if found is None else int(found)


async def add_note(db: Database, *, alert_id: int, by_id: int, note: str,
                   now: datetime) -> None:
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT step FROM alerts WHERE id = ?", (alert_id,))
        if row is not None:
            await _add_step(tx, alert_id, "note", row["step"], now, by_id=by_id, note=note)


async def latest_told(db: Database, person_id: int, since: datetime) -> Alert | None:
    """The newest alert sent to this person since `since`: what a note they type is
    most likely about."""
    row = await db.fetchone(
        f"SELECT {', '.join('a.' + c for c in _COLUMNS.split(', '))} FROM alerts a "
        "JOIN alert_updates u ON u.alert_id = a.id WHERE u.to_id = ? AND u.created_at >= ? "
        "AND u.what IN ('sent', 'escalated') ORDER BY u.id DESC LIMIT 1",
        (person_id, to_db_time(since)))
    return None if row is None else _alert(row)


async def open_talk_request(db: Database, about_id: int, since: datetime) -> bool:
    """Whether this person already asked to talk since `since` and nobody has acted."""
    found = await db.scalar(
        "SELECT 1 FROM alerts WHERE about_id = ? AND kind = ? AND created_at >= ? AND "
        "acknowledged_at IS NULL", (about_id, AlertKind.TALK, to_db_time(since)))
    return found is not None


async def words_of(db: Database, alert: Alert) -> str | None:
    """The words that raised the alert, as first said (None: a talk request, or words
    deleted when the person asked to be forgotten)."""
    if alert.answer_id is not None:
        found = await db.scalar("SELECT text FROM answers WHERE id = ?", (alert.answer_id,))
    elif alert.issue_id is not None:
        found = await db.scalar("SELECT text FROM issues WHERE id = ?", (alert.issue_id,))
    else:
        return None
    return None if found is None else str(found)
