"""Staff come and go, people move, services close, from the command line: a member of
staff suspended and resumed; one who leaves hands their places in the alert chain and
their open alerts to another; a person and their carers move to another service with
their history staying put; a service closes only once its people have moved (or with
--force). Each person hears in the chat; `carebot check` sees what is left to do."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from carebot.conversations.texts import text
from carebot.settings.clock import SystemClock
from carebot.storage import alerts, staff_changes
from carebot.storage.alerts import NewAlert
from carebot.storage.db import from_db_time, open_database
from carebot.storage.models import AlertOutcome, Role
from tests.cli.test_admin import _joined, database, run, staffed

__all__ = ["database", "staffed"]


def _query(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    async def read() -> list[tuple[Any, ...]]:
        db = await open_database(path)
        try:
            return [tuple(row) for row in await db.fetchall(sql, params)]
        finally:
            await db.close()
    return asyncio.run(read())


def _told(path: Path, person_id: int) -> list[str]:
    return [str(r[0]) for r in _query(path, "SELECT text FROM outbox WHERE person_id = ? "
                                      "ORDER BY id", (person_id,))]


@pytest.fixture
def staff(database: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, int]:
    """Dee, duty contact and the council's lead; Eve, who will take over."""
    dee = asyncio.run(_joined(database, Role.DUTY_CONTACT, "Dee", service_id=1))
    eve = asyncio.run(_joined(database, Role.DUTY_CONTACT, "Eve", service_id=1))
    for argv in (["services", "set-duty-contact", "--service", "1", "--person", str(dee)],
                 ["council", "set-safeguarding-lead", "--council", "1", "--person", str(dee)]):
        assert run(capsys, *argv)[0] == 0
    return dee, eve


def test_suspend_and_resume_a_member_of_staff(
        database: Path, staff: tuple[int, int], capsys: pytest.CaptureFixture[str]) -> None:
    dee, _ = staff
    status, out, _ = run(capsys, "people", "suspend", "--person", str(dee))
    assert status == 0 and "Dee is suspended" in out
    assert "Home Care has lost its duty contact" in out
    assert "Northshire has lost its safeguarding lead" in out
    assert text("staff.paused", name="Dee") in _told(database, dee)
    assert "suspended" in run(capsys, "people")[1]
    assert "Service 1 (Home Care) has no duty contact" in run(capsys, "check")[1]
    assert run(capsys, "people", "suspend", "--person", str(dee))[0] == 2
    status, out, _ = run(capsys, "people", "resume", "--person", str(dee))
    assert status == 0 and _told(database, dee)[-1] == text("staff.resumed", name="Dee")
    assert "Service 1 (Home Care) has no duty contact" not in run(capsys, "check")[1]


def test_a_leaver_hands_everything_over(
        database: Path, staff: tuple[int, int], capsys: pytest.CaptureFixture[str]) -> None:
    dee, eve = staff
    person = asyncio.run(_joined(database, Role.PERSON, "Sam", service_id=1))
    waiting, taken = asyncio.run(_alerts(database, dee, person))
    status, out, _ = run(capsys, "people", "remove", "--person", str(dee), "--hand-to",
                         str(eve))
    assert status == 0 and "Dee is removed" in out and "2 open alerts" in out
    assert _query(database, "SELECT duty_contact_id FROM services") == [(eve,)]
    assert _query(database, "SELECT safeguarding_lead_id FROM organisations "
                  "WHERE kind = 'council'") == [(eve,)]
    due = {a: from_db_time(at) for a, at in _query(database, "SELECT id, escalate_at FROM "
                                                     "alerts")}
    assert all(due[a] <= SystemClock().now() for a in (waiting, taken))  # on, at next tick
    assert _told(database, dee)[-1] == text("staff.left", name="Dee")
    told_eve = _told(database, eve)
    assert text("staff.took_over", name="Eve", leaver="Dee") in told_eve
    assert text("staff.now_lead", name="Eve", council="Northshire") in told_eve
    _, audit, _ = run(capsys, "audit")
    assert "carebot people remove Dee" in audit and "--hand-to" in audit


async def _alerts(path: Path, holder: int, about: int) -> tuple[int, int]:
    """An alert waiting on `holder`, and one they said they would deal with."""
    db = await open_database(path)
    try:
        now = SystemClock().now()
        made = []
        for evidence in ("fell", "no food"):
            made.append(await alerts.raise_alert(
                db, NewAlert(1, about, "urgent", evidence), now=now,
                handover=alerts.Handover(0, holder, (), now + timedelta(hours=1))))
        await alerts.act(db, alert_id=made[1], by_id=holder, outcome=AlertOutcome.DEALING,
                         note=None, now=now, follow_up_at=now + timedelta(days=1))
        return made[0], made[1]
    finally:
        await db.close()


def test_a_person_moves_with_their_carer_and_their_history_stays(
        database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add-service", "--council", "1", "--provider", "2", "--name",
               "Day Centre", "--kind", "day service")[0] == 0
    sam = asyncio.run(_joined(database, Role.PERSON, "Sam", service_id=1))
    asyncio.run(_link_carer(database, sam))
    status, out, _ = run(capsys, "people", "move", "--person", str(sam), "--service", "2")
    assert status == 0 and "Sam (and 1 carer) now belong to Day Centre" in out
    assert _query(database, "SELECT display_name, service_id FROM people WHERE role IN "
                  "('person', 'carer') ORDER BY id") == [("Sam", 2), ("Jo", 2)]
    assert _told(database, sam)[-1] == text("person.moved", name="Sam", service="Day Centre")


async def _link_carer(path: Path, person_id: int) -> None:
    carer = await _joined(path, Role.CARER, "Jo", service_id=1)
    db = await open_database(path)
    try:
        await db.execute("UPDATE people SET cares_for_id = ? WHERE id = ?", (person_id, carer))
    finally:
        await db.close()


def test_a_service_closes_once_its_people_have_gone(
        staffed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = staffed
    sam = asyncio.run(_joined(database, Role.PERSON, "Sam", service_id=1))
    assert run(capsys, "invite", "--role", "person", "--service", "1")[0] == 0
    status, _, err = run(capsys, "services", "close", "--service", "1")
    assert status == 2 and "1 people and carers are still at Home Care" in err
    status, out, _ = run(capsys, "services", "close", "--service", "1", "--force")
    assert status == 0 and "1 people and carers there will be asked no more" in out
    assert "1 waiting invites no longer work" in out
    assert _told(database, sam)[-1] == text("service.closed", name="Sam", service="Home Care")
    assert "closed on" in run(capsys, "services")[1]
    status, _, err = run(capsys, "invite", "--role", "person", "--service", "1")
    assert status == 2 and "Home Care is closed" in err
    assert asyncio.run(_people_at(database)) == 0


async def _people_at(path: Path) -> int:
    db = await open_database(path)
    try:
        return await staff_changes.people_at(db, 1)
    finally:
        await db.close()
