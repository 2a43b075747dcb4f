"""`carebot demo`: three weeks of carebot, offline, in well under a minute.

The real Application runs against the local Bot API emulator on a simulated clock, with
Telegram's flood limits enforced in a window of a twentieth of a second instead of one
(the same limits, at the pace of the simulated clock: staff reading the read list get a
message an item, one a window in their chat). A council with two providers and three
services enrols about 30 people, 10 carers, a commissioner and a duty contact; each person
chooses when their check-ins come with /schedule, as anyone would. Each week people answer
check-ins in their own ways and the Monday job sends the weekly digest to the
commissioner's chat. In the second week carers raise issues, staff work them, an
alert climbs the chain and the commissioner records "you said, we did" for Home Care
South; in the third week its people find things better, so the last digest shows the
trend and the action's before and after. The digests (HTML, CSV), the provider's
monitoring pack (PDF) and a transcript of every chat are left on disk, in a folder the
demo made (demo/folder.py): it deletes only what it wrote there itself.

Two runs write the same words (tests/demo/test_run.py compares them), but for what is
new each run: the invite codes (random), and the wall-clock dates in the database's
record of its migrations.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from carebot.bot.jobs import TickReport
from carebot.conversations import schedule as schedules
from carebot.conversations.texts import text
from carebot.demo.folder import prepare, record
from carebot.demo.loop import (
    ACTION_AT,
    INCIDENT_AT,
    PROVIDER_SEES_IT,
    PROVIDER_SORTS_IT,
    Staff,
    commissioner_records_an_action,
    duty_acts_on_new_alerts,
    missed_alert_climbs,
    provider_sees_the_problem,
    provider_sorts_it,
    say,
    time_comes,
)
from carebot.demo.personas import CARER_MESSAGES, DemoPerson
from carebot.demo.reading import (
    DUTY_READS,
    PROVIDER_READS,
    QUIET_WORRY_AT,
    SAFETY_CALL_AT,
    carer_writes_quietly,
    reading_moments,
    someone_asks_for_a_call,
    staff_read,
)
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.transcript import transcript_markdown
from carebot.reports.pack_pdf import provider_pack
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage import directory
from carebot.storage.db import Database
from carebot.storage.models import Organisation, Role, Service
from carebot.storage.postgres_engine import emptied_schema
from carebot.storage.private_files import write_private
from carebot.storage.reporting import latest_digest_files
from carebot.storage.tally import tally
from carebot.translations.speaking import speaking

LONDON = ZoneInfo("Europe/London")
# Monday morning, just after that week's digests went out: the demo's first week starts.
DEMO_START = datetime(2026, 11, 2, 9, 30, tzinfo=LONDON)
DEMO_SCHEMA = "carebot_demo"  # on PostgreSQL (--postgresql): the demo's own, made anew
WEEKS = 3
# The slots the demo's people chose for their check-ins (weekday, window).
DEMO_SLOTS = ((0, "morning"), (2, "afternoon"), (4, "morning"))
REMINDERS_AFTER = timedelta(days=1, hours=1)  # Tuesday 10:30, a day after Monday's
CARERS_SPEAK_AT = datetime(2026, 11, 11, 11, 0, tzinfo=LONDON)  # the second week
DIGESTS_AFTER = timedelta(days=7, minutes=-30)  # the next Monday at 9: the digest is made
WEEK_END = DEMO_START + WEEKS * timedelta(weeks=1) - timedelta(minutes=30)
# The periodic job runs only as the simulated clock moves (`time_comes`): its own
# interval, in real seconds, is longer than the whole demo takes, so what happens at each
# moment never depends on how fast this machine is (two runs write the same transcript).
# The most the settings allow.
TICK_NEVER = 3600.0
# People act one at a time, each handled before the next (`_in_turn`): the harness looks
# whether the bot is done more often than it would, to keep the demo quick.
SETTLE_STEP = 0.002
ACTION_SERVICE = "Home Care South"
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
# Everyone can take part (issue 32): Ruth reads and writes Welsh, Ali has easy-read
# check-ins, Mo talks to carebot in voice notes, and the third carer writes in Polish.
LANGUAGE_OF = {"Ruth": "cy", "Carer 3": "pl"}
EASY_READ = frozenset({"Ali"})
HABIT_OF = {"Mo": "voice"}
FIRST_NAMES = ("Sam", "Pat", "Ali", "Jo", "Chris", "Ruth", "Dev", "Mo", "Ann", "Les", "Kim",
               "Val", "Bill", "Rita", "Jas", "Tom", "Eve", "Raj", "Lyn", "Ray", "Meg", "Ade",
               "Joy", "Ken", "Fay", "Ian", "Sue", "Bob", "Zia", "Dot")

log = logging.getLogger(__name__)


async def _invite_and_join(local: LocalBot, *, user_id: int, name: str, role: Role,
                           service_id: int | None, council_id: int | None,
                           cares_for_id: int | None = None) -> SimulatedPerson:
    """An invite (in the person's language, easy read if they want it), and `/start CODE`
    with it: the person is asked whether it is OK."""
    rt = local.runtime
    language = LANGUAGE_OF.get(name)
    code = await directory.create_invite(rt.db, role=role, now=rt.clock.now(),
                                         display_name=name, service_id=service_id,
                                         organisation_id=council_id, cares_for_id=cares_for_id,
                                         language=language, easy_read=name in EASY_READ)
    person = local.person(user_id, name, language_code=language or "en")
    person.send_command("start", code)
    await local.settle()  # one at a time: see _in_turn
    return person


async def _person_id(db: Database, telegram_user_id: int) -> int:
    person = await directory.person_by_telegram_id(db, telegram_user_id)
    if person is None:
        raise LookupError(f"user {telegram_user_id} did not enrol")
    return person.id


async def _in_turn(local: LocalBot, acts: Iterable[Callable[[], object]]) -> None:
    """People act one after another, each handled before the next acts. Updates from
    different chats are handled side by side, and stored in whichever order they happen
    to finish: the numbers of alerts and problems, and which of two answers given at the
    same simulated moment is quoted first, would differ from run to run."""
    for act in acts:
        act()
        await local.settle()


def _in_their_language(who: SimulatedPerson, key: str) -> str:
    """A text as `who` reads it, for tapping the button that says it."""
    with speaking(LANGUAGE_OF.get(who.user["first_name"])):
        return text(key)


async def _consent_all(local: LocalBot, people: list[SimulatedPerson]) -> None:
    await local.settle()
    await _in_turn(local, (partial(person.press_label, _in_their_language(person, "consent.yes"))
                           for person in people))


async def _choose_slots(local: LocalBot, people: list[DemoPerson]) -> None:
    """Each person sends /schedule and taps every week, then their day, then their time
    of day: the bot says when their first check-in will come."""
    await _in_turn(local, (partial(person.sim.send_command, "schedule") for person in people))
    for step in range(3):
        taps = []
        for n, person in enumerate(people):
            weekday, window = DEMO_SLOTS[n % len(DEMO_SLOTS)]
            key = ("choice.weekly", f"choice.day_{weekday}", f"choice.{window}")[step]
            label = _in_their_language(person.sim, key)
            taps.append(partial(person.sim.press_label, label))
        await _in_turn(local, taps)


async def _answer_rounds(local: LocalBot, people: list[DemoPerson]) -> None:
    for _ in range(20):
        acted = False
        for person in people:  # one at a time: see _in_turn
            if person.act():
                acted = True
                await local.settle()
        if not acted:
            return


@dataclass
class Cast:
    """Everyone in the demo, as the emulator's simulated people."""

    staff: Staff
    lead: SimulatedPerson
    people: list[DemoPerson]
    carers: list[SimulatedPerson]

    @property
    def duty(self) -> SimulatedPerson:
        return self.staff.duty

    @property
    def commissioner(self) -> SimulatedPerson:
        return self.staff.commissioner


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


async def _invite_staff(local: LocalBot, council: Organisation,
                        services: list[Service]) -> tuple[Staff, SimulatedPerson]:
    """The council's duty team and its backup (for every service), a provider manager,
    the commissioner and the council's safeguarding lead."""
    at_service, at_council = (services[0].id, None), (None, council.id)
    council_duty = (services[0].id, council.id)  # a duty contact's invite names a service
    joined = {}
    for user_id, name, role, (service_id, council_id) in (
            (900001, "Duty team", Role.DUTY_CONTACT, council_duty),
            (900003, "Ben", Role.DUTY_CONTACT, council_duty),
            (900004, "Priya", Role.PROVIDER, at_service),
            (900002, "Alex", Role.COMMISSIONER, at_council),
            (900005, "Lena", Role.COMMISSIONER, at_council)):
        joined[name] = await _invite_and_join(local, user_id=user_id, name=name, role=role,
                                              service_id=service_id, council_id=council_id)
    staff = Staff(duty=joined["Duty team"], backup=joined["Ben"], provider=joined["Priya"],
                  commissioner=joined["Alex"])
    return staff, joined["Lena"]


async def _invite_everyone(local: LocalBot, council: Organisation, services: list[Service],
                           rng: random.Random) -> Cast:
    staff, lead = await _invite_staff(local, council, services)
    people: list[DemoPerson] = []
    for s_index, (service, (*_, moods)) in enumerate(zip(services, SERVICES, strict=True)):
        for n, mood in enumerate(moods):
            number = s_index * 10 + n
            sim = await _invite_and_join(
                local, user_id=100000 + number, name=FIRST_NAMES[number], role=Role.PERSON,
                service_id=service.id, council_id=None)
            name = FIRST_NAMES[number]
            people.append(DemoPerson(sim, service.name, mood, HABIT_OF.get(name, HABITS[n]),
                                     random.Random(rng.random()),
                                     language=LANGUAGE_OF.get(name, "en")))
    await local.settle()  # everyone has joined, so a carer's invite can say who they care for
    carers = []
    for n in range(10):
        # Each carer cares for one of their service's people, named on their invite.
        cared_for = (n % len(services)) * 10 + n // len(services)
        carers.append(await _invite_and_join(
            local, user_id=200000 + n, name=f"Carer {n + 1}", role=Role.CARER,
            service_id=services[n % len(services)].id, council_id=None,
            cares_for_id=await _person_id(local.runtime.db, 100000 + cared_for)))
    return Cast(staff, lead, people, carers)


async def _name_contacts(db: Database, council: Organisation, services: list[Service],
                         cast: Cast) -> None:
    """The admin names every service's duty contact and backup, and the council's
    safeguarding lead, once they have started (as `carebot services set-duty-contact`
    and `carebot council set-safeguarding-lead` do)."""
    duty_id, backup_id = (await _person_id(db, cast.staff.duty.id),
                          await _person_id(db, cast.staff.backup.id))
    for service in services:
        await directory.set_duty_contact(db, service.id, duty_id)
        await directory.set_backup_contact(db, service.id, backup_id)
    await directory.set_safeguarding_lead(db, council.id, await _person_id(db, cast.lead.id))


async def _enrol(local: LocalBot, council: Organisation, services: list[Service],
                 rng: random.Random) -> Cast:
    """Invites and /start for everyone; the admin names the duty contacts and the lead;
    a yes from everyone, each told what they will hear; then each person chooses when
    their check-ins come, with /schedule."""
    cast = await _invite_everyone(local, council, services, rng)
    await local.settle()
    await _name_contacts(local.runtime.db, council, services, cast)
    staff = cast.staff
    await _consent_all(local, [staff.duty, staff.backup, staff.provider, staff.commissioner,
                               cast.lead, *[p.sim for p in cast.people], *cast.carers])
    await _choose_slots(local, cast.people)
    say(f"Enrolled {len(cast.people)} people, {len(cast.carers)} carers, a provider manager, "
        "a commissioner, a duty contact with a backup and the council's safeguarding lead, "
        "each after saying yes to taking part. Each person chose when their check-ins "
        "come, with /schedule.")
    return cast


async def _carers_speak(local: LocalBot, carers: list[SimulatedPerson], moment: datetime) -> None:
    # The first sends two photos together, with the words under them: one message. Its
    # parts are gathered for a moment before it is handled, so it comes last.
    await _in_turn(local, [
        *(partial(carers[n].send_text, words)
          for n, (_, words) in enumerate(CARER_MESSAGES) if n > 0),
        partial(carers[0].send_album, ("photo", "photo"), caption=CARER_MESSAGES[0][1])])
    await _in_turn(local, (
        partial(carers[n].press_label, _in_their_language(carers[n], f"feedback.{kind}"))
        for n, (kind, _) in enumerate(CARER_MESSAGES)  # a worry is never asked about
        if carers[n].last.text == _in_their_language(carers[n], "feedback.kind")))
    say(f"{moment:%a %d %b %H:%M}: {len(CARER_MESSAGES)} carers sent messages "
        "and got references.")


def _timekeeping_first(offered: list[str]) -> str:
    return next((label for label in offered if label.startswith("Timekeeping")), offered[0])


async def _loop_moment(local: LocalBot, clock: SimulatedClock, cast: Cast,
                       moment: datetime) -> bool:
    """The scripted moments when staff close the loop; False if `moment` is not one."""
    if moment == CARERS_SPEAK_AT:
        await _carers_speak(local, cast.carers, moment)
    elif moment == PROVIDER_SEES_IT:
        await provider_sees_the_problem(local, cast.staff)
    elif moment == PROVIDER_SORTS_IT:
        await provider_sorts_it(local, cast.staff, cast.carers[0])
    elif moment == INCIDENT_AT:
        await missed_alert_climbs(local, clock, cast.staff, cast.carers[1])
    elif moment == ACTION_AT:
        await commissioner_records_an_action(local, cast.staff, ACTION_SERVICE,
                                             _timekeeping_first)
    elif moment == QUIET_WORRY_AT:
        await carer_writes_quietly(local, cast.carers[3])  # Home Care North's
    elif moment == SAFETY_CALL_AT:
        await someone_asks_for_a_call(local, [p.sim for p in cast.people])
    elif moment.timetz().replace(tzinfo=None) == PROVIDER_READS:
        await staff_read(local, cast.staff.provider, "Priya, the provider manager", moment)
    elif moment.timetz().replace(tzinfo=None) == DUTY_READS:
        await staff_read(local, cast.duty, "The duty team", moment)
    else:
        return False
    return True


def _week_moments(week_start: datetime) -> set[datetime]:
    """A week's check-in slots, Tuesday's reminders and the next Monday's digest."""
    slots = {schedules.first_due(week_start, weekday=d, window=w) for d, w in DEMO_SLOTS}
    return slots | {week_start + REMINDERS_AFTER, week_start + DIGESTS_AFTER}


async def _bot_moment(local: LocalBot, cast: Cast, moment: datetime,
                      report: TickReport) -> None:
    """The bot's periodic job has run (`report`): check-ins and reminders went out and
    people answer, the duty contact takes each alert, and on Monday the digests went out."""
    await _answer_rounds(local, cast.people)
    taken = await duty_acts_on_new_alerts(local, cast.staff)
    when = f"{moment:%a %d %b %H:%M}"
    if report.opened:
        say(f"{when}: {report.opened} check-ins sent.")
    if report.reminded:
        say(f"{when}: {report.reminded} gentle reminders sent to people who had not answered.")
    if taken:
        say(f"{when}: the duty contact took {taken} alert{'' if taken == 1 else 's'} at once.")
    if report.digests:
        say(f"{when}: {report.digests} weekly digests sent (to the two commissioners and "
            "the provider manager).")


def _things_get_better(cast: Cast) -> None:
    """After the action, the service's people find things better, and answer so."""
    for person in cast.people:
        if person.service == ACTION_SERVICE:
            person.feel_better()
    say(f"(From now on, in the simulation, {ACTION_SERVICE}'s people find their carers come "
        "on time more often, and answer a little happier.)")


async def _run_weeks(local: LocalBot, clock: SimulatedClock, cast: Cast) -> None:
    """Each moment of each week in turn; in between, staff close the loop."""
    loop_moments = {CARERS_SPEAK_AT, PROVIDER_SEES_IT, PROVIDER_SORTS_IT, INCIDENT_AT,
                    ACTION_AT, QUIET_WORRY_AT, SAFETY_CALL_AT}
    for week in range(WEEKS):
        week_start = DEMO_START + timedelta(weeks=week)
        say(f"Week {week + 1} of {WEEKS}, from {week_start:%a %d %b}:")
        if week_start > ACTION_AT:
            _things_get_better(cast)
        mine = {m for m in loop_moments if week_start <= m < week_start + timedelta(weeks=1)}
        mine |= reading_moments(week_start)
        for moment in sorted(_week_moments(week_start) | mine):
            report = await time_comes(local, clock, moment)
            if await _loop_moment(local, clock, cast, moment):
                await duty_acts_on_new_alerts(local, cast.staff)
            else:
                await _bot_moment(local, cast, moment, report)
    await time_comes(local, clock, clock.now() + timedelta(minutes=5))


async def _tell_the_story(local: LocalBot, cast: Cast, began: float) -> tuple[Path, str]:
    """Say what happened in the week; returns the digest's HTML and CSV paths."""
    db = local.runtime.db
    done = await tally(db, await _person_id(db, cast.duty.id))
    digest_files = await latest_digest_files(  # the commissioner's: providers get their own
        db, await _person_id(db, cast.commissioner.id))
    if digest_files is None:
        raise RuntimeError("the weekly digest was not made")
    documents = [m.document[0] for m in cast.commissioner.inbox if m.document]
    say(f"{WEEKS} weeks done: {done.checkins_sent} check-ins sent, {done.checkins_finished} "
        f"finished, {done.answers} answers kept, {done.issues} issues raised.")
    say(f"Alerts (safeguarding, and requests to talk): {done.alerts} raised; the duty contact "
        f"got {done.alerts_to_duty} at once; {done.alerts_passed_up} passed up the chain when "
        "nobody acted in time.")
    say(f"The commissioner's chat got {WEEKS} digest summaries, each with its files: "
        f"{', '.join(documents)}.")
    heard = sum(t.startswith("You said, we did") for who in [*(p.sim for p in cast.people),
                                                               *cast.carers]
                for t in who.texts())
    say(f"\"You said, we did\" reached {heard} people; the digest lists it.")
    say(f"Telegram flood-limit breaches: {local.emulator.flood_breaches}. "
        f"Calls Telegram would refuse: {len(local.emulator.bad_calls)}. "
        f"Real time taken: {time.monotonic() - began:.1f} s.")
    html_path, csv_path = digest_files
    return Path(html_path), csv_path


def _write_transcript(local: LocalBot, cast: Cast, output: Path) -> Path:
    staff = cast.staff
    titles = {staff.provider.id: "Priya, provider manager (Sunrise Home Care Ltd)",
              staff.duty.id: "Duty team, duty contact",
              staff.backup.id: "Ben, backup duty contact",
              cast.lead.id: "Lena, the council's safeguarding lead",
              staff.commissioner.id: "Alex, commissioner (Northshire County Council)",
              **{carer.id: f"{carer.user['first_name']}, carer" for carer in cast.carers},
              **{p.sim.id: f"{p.sim.user['first_name']}, uses {p.service}" for p in cast.people}}
    path = output / "transcript.md"
    write_private(path, transcript_markdown(
        local.emulator, titles, f"carebot demo, {WEEKS} weeks: every chat, as each person saw it"))
    return path


async def _provider_pack(local: LocalBot, service: Service, output: Path) -> Path:
    """The first service's provider's monitoring pack for the demo's weeks, as a PDF."""
    end = WEEK_END.replace(hour=0)
    start = end - timedelta(weeks=WEEKS)
    _, path = await provider_pack(
        local.runtime.db, service.provider_id, start, end,
        threshold=local.config.suppression_threshold, now=local.runtime.clock.now(),
        path=output / f"pack-{service.provider_id}-{start:%Y-%m-%d}.pdf")
    return path


async def run_demo(output: Path, seed: int = 7, postgresql: str | None = None) -> Path:
    """Run the demo's weeks; returns the path of the last weekly digest (HTML). Its data
    go in a SQLite file in `output`, or on the PostgreSQL server `postgresql` names, in a
    schema of the demo's own (`carebot_demo`, made anew each time)."""
    began = time.monotonic()
    kept = await asyncio.to_thread(prepare, output)  # refuses a folder that is not its own
    database: Path | str = output / "carebot-demo.sqlite3"
    if postgresql is not None:
        database = await asyncio.to_thread(emptied_schema, postgresql, DEMO_SCHEMA)
    try:
        return await _run_in(output, seed, began, database)
    finally:
        record(output, kept)  # even if stopped: the next demo then deletes what it wrote


async def _run_in(output: Path, seed: int, began: float, database: Path | str) -> Path:
    """The demo itself, writing into `output`."""
    clock = SimulatedClock(DEMO_START)
    config = replace(Config(), database=database, output_dir=output,
                     tick_seconds=TICK_NEVER, flood_window_seconds=0.05, health_port=0)
    async with LocalBot(config, clock, enforce_flood_limits=True,
                        settle_step=SETTLE_STEP) as local:
        council, services = await _set_up_council(local.runtime.db, clock.now())
        cast = await _enrol(local, council, services, random.Random(seed))
        local.person(300001, "Stranger").send_text("hello is this the council")
        await local.settle()  # answered before the first moment's periodic job
        await _run_weeks(local, clock, cast)
        html_path, csv_path = await _tell_the_story(local, cast, began)
        transcript = await asyncio.to_thread(_write_transcript, local, cast, output)
        pack = await _provider_pack(local, services[0], output)
    say(f"Every chat, as each person saw it: {transcript}")
    say(f"Monitoring pack for the provider's meeting: {pack}")
    say(f"CSV written to {csv_path}")
    say(f"Digest written to {html_path}")
    return html_path
