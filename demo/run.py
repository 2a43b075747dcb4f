"""`carebot demo`: a week of carebot, offline, in well under a minute.

The real Application runs against the local Bot API emulator (with Telegram's flood
limits enforced) on a simulated clock. A council with two providers and three services
enrols about 30 people, 10 carers, a commissioner and a duty contact; people answer a
week of check-ins in their own ways; carers raise issues; then the Monday job makes the
weekly digest and sends it to the commissioner's chat. The digest is left on disk.
"""

from __future__ import annotations

import asyncio
import logging
import random
import shutil
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conversations import schedule as schedules
from demo.personas import CARER_MESSAGES, DemoPerson
from emulator.harness import LocalBot
from emulator.people import SimulatedPerson
from settings.clock import SimulatedClock
from settings.config import Config
from storage import checkins, directory
from storage.db import Database
from storage.models import CheckInStatus, Organisation, Role, Service
from storage.private_files import private_folder

LONDON = ZoneInfo("Europe/London")
# Monday morning, just after that week's digests went out: the demo week starts.
DEMO_START = datetime(2026, 11, 16, 9, 30, tzinfo=LONDON)
# The slots the demo's people chose for their check-ins (weekday, window).
DEMO_SLOTS = ((0, "morning"), (2, "afternoon"), (4, "morning"))
REMINDERS_AT = datetime(2026, 11, 17, 10, 30, tzinfo=LONDON)  # a day after Monday's
CARERS_SPEAK_AT = datetime(2026, 11, 18, 11, 0, tzinfo=LONDON)
WEEK_END = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)  # Monday: the digest is made
SERVICES = (
    # (provider, service, kind, moods of its ten people, in order)
    ("Sunrise Home Care Ltd", "Home Care North", "home care",
     ("content",) * 6 + ("mixed",) * 3 + ("unhappy",)),
    ("Sunrise Home Care Ltd", "Home Care South", "home care",
     ("unhappy",) * 5 + ("mixed",) * 3 + ("content",) * 2),
    ("Meadow View Care Ltd", "Meadow View Day Centre", "day service",
     ("content",) * 7 + ("mixed",) * 2 + ("unhappy",)),
)
HABITS = ("taps", "helped", "taps", "types", "skips", "taps", "stops_early", "photo", "silent",
          "talks")
FIRST_NAMES = ("Sam", "Pat", "Ali", "Jo", "Chris", "Ruth", "Dev", "Mo", "Ann", "Les", "Kim",
               "Val", "Bill", "Rita", "Jas", "Tom", "Eve", "Raj", "Lyn", "Ray", "Meg", "Ade",
               "Joy", "Ken", "Fay", "Ian", "Sue", "Bob", "Zia", "Dot")

log = logging.getLogger(__name__)


def say(line: str) -> None:
    print(line, flush=True)


async def _invite_and_join(local: LocalBot, *, user_id: int, name: str, role: Role,
                           service_id: int | None, council_id: int | None) -> SimulatedPerson:
    rt = local.runtime
    code = await directory.create_invite(rt.db, role=role, now=rt.clock.now(),
                                         display_name=name, service_id=service_id,
                                         organisation_id=council_id)
    person = local.person(user_id, name)
    person.send_command("start", code)
    return person


async def _person_id(db: Database, telegram_user_id: int) -> int:
    person = await directory.person_by_telegram_id(db, telegram_user_id)
    if person is None:
        raise LookupError(f"user {telegram_user_id} did not enrol")
    return person.id


async def _consent_all(local: LocalBot, people: list[SimulatedPerson]) -> None:
    await local.settle()
    for person in people:
        person.press_label("Yes")
    await local.settle()


async def _choose_slots(db: Database, people: list[DemoPerson], sims_to_ids: dict[int, int],
                        now: datetime) -> None:
    """Each person picks a slot, as they would with /schedule."""
    for n, person in enumerate(people):
        weekday, window = DEMO_SLOTS[n % len(DEMO_SLOTS)]
        due = schedules.first_due(now, weekday=weekday, window=window)
        await checkins.set_schedule(db, person_id=sims_to_ids[person.sim.id], weekday=weekday,
                                    time_window=window, next_due_at=due)


async def _answer_rounds(local: LocalBot, people: list[DemoPerson]) -> None:
    for _ in range(20):
        acted = [p for p in people if p.act()]
        if not acted:
            return
        await local.settle()


def _fresh_folder(output: Path) -> None:
    if output.exists():
        shutil.rmtree(output)
    private_folder(output)


@dataclass
class Cast:
    """Everyone in the demo, as the emulator's simulated people."""

    duty: SimulatedPerson
    commissioner: SimulatedPerson
    people: list[DemoPerson]
    carers: list[SimulatedPerson]


async def _set_up_council(db: Database, now: datetime) -> tuple[Organisation, list[Service]]:
    council = await directory.add_organisation(db, "council", "Northshire County Council", now)
    providers: dict[str, Organisation] = {}
    services = []
    for provider_name, service_name, kind, _ in SERVICES:
        if provider_name not in providers:
            providers[provider_name] = await directory.add_organisation(
                db, "provider", provider_name, now)
        services.append(await directory.add_service(
            db, council_id=council.id, provider_id=providers[provider_name].id,
            name=service_name, kind=kind, now=now))
    say(f"Set up {council.name}: {len(providers)} providers, {len(services)} services.")
    return council, services


async def _invite_everyone(local: LocalBot, council: Organisation, services: list[Service],
                           rng: random.Random) -> Cast:
    duty = await _invite_and_join(local, user_id=900001, name="Duty team",
                                  role=Role.DUTY_CONTACT, service_id=services[0].id,
                                  council_id=None)
    commissioner = await _invite_and_join(local, user_id=900002, name="Alex",
                                          role=Role.COMMISSIONER, service_id=None,
                                          council_id=council.id)
    people: list[DemoPerson] = []
    for s_index, (service, (*_, moods)) in enumerate(zip(services, SERVICES, strict=True)):
        for n, mood in enumerate(moods):
            number = s_index * 10 + n
            sim = await _invite_and_join(
                local, user_id=100000 + number, name=FIRST_NAMES[number], role=Role.PERSON,
                service_id=service.id, council_id=None)
            people.append(DemoPerson(sim, service.name, mood, HABITS[n],
                                     random.Random(rng.random())))
    carers = [await _invite_and_join(local, user_id=200000 + n, name=f"Carer {n + 1}",
                                     role=Role.CARER, service_id=services[n % len(services)].id,
                                     council_id=None)
              for n in range(10)]
    return Cast(duty, commissioner, people, carers)


async def _enrol(local: LocalBot, council: Organisation, services: list[Service],
                 rng: random.Random) -> Cast:
    """Invites, /start and a yes from everyone; a duty contact for every service; each
    person's chosen slot."""
    cast = await _invite_everyone(local, council, services, rng)
    db = local.runtime.db
    await _consent_all(local, [cast.duty, cast.commissioner, *[p.sim for p in cast.people],
                               *cast.carers])
    duty_id = await _person_id(db, cast.duty.id)
    for service in services:
        await directory.set_duty_contact(db, service.id, duty_id)
    ids = {p.sim.id: await _person_id(db, p.sim.id) for p in cast.people}
    await _choose_slots(db, cast.people, ids, local.runtime.clock.now())
    say(f"Enrolled {len(cast.people)} people, {len(cast.carers)} carers, a commissioner and "
        "a duty contact, each after saying yes to taking part.")
    return cast


async def _carers_speak(local: LocalBot, carers: list[SimulatedPerson], moment: datetime) -> None:
    for n, (_, words) in enumerate(CARER_MESSAGES):
        if n == 0:
            carers[n].send_media("photo")
        carers[n].send_text(words)
    await local.settle()
    for n, (kind, _) in enumerate(CARER_MESSAGES):
        carers[n].press_label({"problem": "A problem", "compliment": "A thank you",
                               "idea": "An idea"}[kind])
    await local.settle()
    say(f"{moment:%a %d %b %H:%M}: {len(CARER_MESSAGES)} carers sent messages "
        "and got references.")


async def _run_week(local: LocalBot, clock: SimulatedClock, cast: Cast) -> None:
    """Each moment of the week in turn: check-ins and reminders go out and people answer;
    on Wednesday carers write; on Monday the digest is made."""
    moments = sorted({schedules.first_due(clock.now(), weekday=d, window=w)
                      for d, w in DEMO_SLOTS} | {CARERS_SPEAK_AT, REMINDERS_AT, WEEK_END})
    for moment in moments:
        clock.set(moment)
        if moment == CARERS_SPEAK_AT:
            await _carers_speak(local, cast.carers, moment)
            continue
        report = await local.tick()
        await _answer_rounds(local, cast.people)
        if report.opened:
            say(f"{moment:%a %d %b %H:%M}: {report.opened} check-ins sent.")
        if report.reminded:
            say(f"{moment:%a %d %b %H:%M}: {report.reminded} gentle reminders sent to "
                "people who had not answered.")
    clock.advance(timedelta(minutes=5))
    await local.tick()


async def _tell_the_story(local: LocalBot, cast: Cast, began: float) -> tuple[Path, str]:
    """Say what happened in the week; returns the digest's HTML and CSV paths."""
    db = local.runtime.db
    finished = await db.scalar("SELECT COUNT(*) FROM checkins WHERE status = ?",
                               (CheckInStatus.COMPLETED,))
    sent = await db.scalar("SELECT COUNT(*) FROM checkins WHERE sent_at IS NOT NULL")
    answers = await db.scalar("SELECT COUNT(*) FROM answers")
    issues = await db.scalar("SELECT COUNT(*) FROM issues")
    alerts = await db.scalar("SELECT COUNT(*) FROM alerts")
    alerts_seen = sum("Safeguarding" in t for t in cast.duty.texts())
    digest_row = await db.fetchone(
        "SELECT html_path, csv_path FROM digests ORDER BY id DESC LIMIT 1")
    if digest_row is None:
        raise RuntimeError("the weekly digest was not made")
    documents = [m.document[0] for m in cast.commissioner.inbox if m.document]
    say(f"Week done: {sent} check-ins sent, {finished} finished, {answers} answers kept, "
        f"{issues} issues raised.")
    say(f"Safeguarding: {alerts} alerts raised; the duty contact got {alerts_seen} at once.")
    say(f"The commissioner's chat got the digest summary and {len(documents)} files: "
        f"{', '.join(documents)}.")
    say(f"Telegram flood-limit breaches: {local.emulator.flood_breaches}. "
        f"Calls Telegram would refuse: {len(local.emulator.bad_calls)}. "
        f"Real time taken: {time.monotonic() - began:.1f} s.")
    return Path(digest_row["html_path"]), str(digest_row["csv_path"])


async def run_demo(output: Path, seed: int = 7) -> Path:
    """Run the demo week; returns the path of the weekly digest (HTML)."""
    began = time.monotonic()
    await asyncio.to_thread(_fresh_folder, output)
    clock = SimulatedClock(DEMO_START)
    config = replace(Config(), database=output / "carebot-demo.sqlite3", output_dir=output,
                     tick_seconds=0.5)
    async with LocalBot(config, clock, enforce_flood_limits=True) as local:
        council, services = await _set_up_council(local.runtime.db, clock.now())
        cast = await _enrol(local, council, services, random.Random(seed))
        local.person(300001, "Stranger").send_text("hello is this the council")
        await _run_week(local, clock, cast)
        html_path, csv_path = await _tell_the_story(local, cast, began)
    say(f"CSV written to {csv_path}")
    say(f"Digest written to {html_path}")
    return html_path
