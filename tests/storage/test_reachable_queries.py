"""Every query that picks people the bot can write to (or, for the alert chain and the
readiness checks, those it cannot) picks by the one rule, care.alert_policy.reachable,
written once in SQL (storage/directory.py's reachable_sql): over one person of each
status, with a chat and without, each query's answer is exactly those the rule accepts
(or refuses), its other conditions held fixed."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

from carebot.care.alert_policy import reachable
from carebot.storage import actions, alerts, checkins, directory, readiness, vitals
from carebot.storage.alerts import Handover, NewAlert
from carebot.storage.db import Database, to_db_time
from carebot.storage.models import CheckInStatus, PersonStatus, Role, Service
from tests.helpers import REPO, World, small_world

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
EVERYONE = list(itertools.product(PersonStatus, (True, False)))


async def _everyone(db: Database, role: Role, *, organisation_id: int | None = None,
                    service_id: int | None = None, notices: str = "each") -> dict[int, bool]:
    """One person of each status, with a chat and without: whether the rule says each
    can be reached, by id."""
    made = {}
    for status, chat in EVERYONE:
        async with db.transaction() as tx:
            person_id = await tx.insert(
                "INSERT INTO people (role, display_name, organisation_id, service_id, "
                "chat_id, status, enrolled_at, issue_notices) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (role, f"{role} {status} {chat}", organisation_id, service_id,
                 (await db.scalar("SELECT COUNT(*) FROM people")) + 100 if chat else None,
                 status, to_db_time(NOW), notices))
        person = await directory.get_person(db, person_id)
        made[person_id] = reachable(person) is not None
    assert sum(made.values()) == 1 and len(made) == len(EVERYONE)
    return made


def _can(made: dict[int, bool], reached: bool = True) -> set[int]:
    return {person_id for person_id, can in made.items() if can is reached}


async def _world(db: Database) -> tuple[World, Service]:
    world = await small_world(db, NOW)
    service = await directory.get_service(db, world.service_id)
    assert service is not None
    return world, service


async def test_the_staff_who_hear_of_problems_and_the_daily_summaries(db: Database) -> None:
    world, service = await _world(db)
    providers = await _everyone(db, Role.PROVIDER, organisation_id=world.provider_id)
    commissioners = await _everyone(db, Role.COMMISSIONER, organisation_id=world.council_id)
    daily = await _everyone(db, Role.PROVIDER, organisation_id=world.provider_id,
                            notices="daily")
    staff = {p.id for p in await directory.issue_staff(db, service)}
    assert staff == _can(providers) | _can(commissioners) | _can(daily)
    assert {p.id for p in await directory.daily_summary_providers(db)} == _can(daily)


async def test_services_and_councils_whose_alerts_would_reach_nobody(db: Database) -> None:
    world, service = await _world(db)
    duty = await _everyone(db, Role.DUTY_CONTACT, service_id=world.service_id)
    service_of = {}
    for n, person_id in enumerate(duty):
        covered = await directory.add_service(db, council_id=world.council_id,
                                              provider_id=world.provider_id,
                                              name=f"Service {n}", kind="home care", now=NOW)
        await directory.set_duty_contact(db, covered.id, person_id)
        service_of[person_id] = covered.id
    unreachable = {s.id for s in await directory.services_without_reachable_duty_contact(db)}
    assert unreachable == {service.id} | {service_of[p] for p in _can(duty, False)}

    leads = await _everyone(db, Role.COMMISSIONER, organisation_id=world.council_id)
    council_of = {}
    for person_id in leads:
        council = await directory.add_organisation(db, "council", f"C{person_id}", NOW)
        await directory.set_safeguarding_lead(db, council.id, person_id)
        council_of[person_id] = council.id
    named = [re.match(r"Council (\d+) ", gap.what) for gap in await readiness.gaps(db, NOW)]
    without_lead = {int(m.group(1)) for m in named if m is not None}
    assert without_lead == {world.council_id} | {council_of[p] for p in _can(leads, False)}


async def test_who_hears_of_an_action(db: Database) -> None:
    world, _ = await _world(db)
    people = await _everyone(db, Role.PERSON, service_id=world.service_id)
    carers = await _everyone(db, Role.CARER, service_id=world.service_id)
    await _everyone(db, Role.PROVIDER, service_id=world.service_id)  # never: not a listener
    heard = {listener.person_id
             for listener in await actions.listeners(db, world.service_id, NOW, "UTC")}
    assert heard == _can(people) | _can(carers)


async def test_check_ins_due_and_reminders_go_only_to_those_who_can_be_reached(
        db: Database) -> None:
    world, _ = await _world(db)
    people = await _everyone(db, Role.PERSON, service_id=world.service_id)
    for person_id in people:
        await checkins.set_schedule(db, person_id=person_id, weekday=0, time_window="morning",
                                    next_due_at=NOW - timedelta(hours=1))
        async with db.transaction() as tx:
            await tx.insert(
                "INSERT INTO checkins (person_id, service_id, due_at, created_at, questions, "
                "status, sent_at) VALUES (?, ?, ?, ?, 'fft', ?, ?)",
                (person_id, world.service_id, to_db_time(NOW - timedelta(days=2)),
                 to_db_time(NOW - timedelta(days=2)), CheckInStatus.SENT,
                 to_db_time(NOW - timedelta(days=2))))
    due = {s.person_id for s in await checkins.due_schedules(db, NOW)}
    assert due == _can(people)
    assert (await vitals.vitals(db, NOW)).checkins_due == len(_can(people))
    reminded = {r.person_id for r in await checkins.reminders_due(db, NOW - timedelta(days=1))}
    assert reminded == _can(people)


async def test_an_alert_whose_holder_cannot_be_reached_climbs_at_once(db: Database) -> None:
    world, _ = await _world(db)
    holders = await _everyone(db, Role.DUTY_CONTACT, service_id=world.service_id)
    held_by: dict[int, int | None] = {}
    for person_id in [*holders, None]:
        alert_id = await alerts.raise_alert(
            db, NewAlert(world.service_id, next(iter(holders)), "concern", "hit"),
            handover=Handover(0, person_id, (), NOW + timedelta(minutes=30)), now=NOW)
        held_by[alert_id] = person_id
    due = {held_by[a.id] for a in await alerts.to_escalate(db, NOW)}
    assert due == _can(holders, False)  # the one with nobody waits its time
    assert {held_by[a.id] for a in await alerts.to_escalate(db, NOW + timedelta(minutes=30))} == (
        {*holders, None})


def test_the_rule_is_written_once_in_sql() -> None:
    for module in sorted((REPO / "storage").glob("*.py")):
        if module.name == "directory.py":
            continue
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"chat_id IS (NOT )?NULL", source), module.name
