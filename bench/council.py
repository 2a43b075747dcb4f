"""A council-year database for benchmarks, built once through the storage layer and reused.

    .venv/bin/python bench/council.py [--people 30000] [--services 150] [--weeks 52] [--empty]

One council; 40 providers running `services` services of different sizes; `people`
enrolled (two in three drawing on care, one in three carers), each with a schedule
(weekly, fortnightly or monthly) and a year of check-ins: about two in three finished,
each with the Friends and Family Test, one outcome question in turn and, in some, a typed
answer to a Working Together for Change question, tagged by the real tagger. Carers raise
problems, thank yous and ideas; a few answers raise safeguarding alerts that someone acts
on. People enrol through invites and history goes in through `storage.history`, so the
rows are the ones the bot writes. The file is kept under `bench/.data/` and reused while
its size settings match (delete it to build afresh).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from carebot.conversations.questions import FFT_SCALE, HOW_OFTEN_SCALE
from carebot.storage import alerts, checkins, directory, history, issues, tags
from carebot.storage.db import Database, from_db_time, open_database
from carebot.storage.models import AlertOutcome, IssueKind, PersonStatus, Role, TagRecord

HERE = Path(__file__).parent
COMMENTS = HERE / "data" / "social-care-comments.csv"
FOLDER = HERE / ".data"
PROVIDERS = 40
VERSION = 2  # raise it when what is built changes, so an old file is not reused
KINDS = ("home care", "care home", "day service", "supported living", "extra care",
         "shared lives", "short breaks", "reablement")
OUTCOMES = ("safe", "control", "dignity", "arrive", "stay", "food", "talk_to", "activities",
            "informed")
CARER_OUTCOMES = ("carer_support", "carer_time", "carer_informed", "carer_listened",
                  "carer_health")
PROMPTS = (("free.working", "working"), ("free.not_working", "not_working"),
           ("free.future", "future"))
FREQUENCY = (("weekly", 1, 0.4), ("fortnightly", 2, 0.35), ("monthly", 4, 0.25))
# Ratings lean good, as real FFT results do; outcomes likewise.
FFT_WEIGHTS = (40, 35, 10, 7, 4, 4)
OFTEN_WEIGHTS = (45, 30, 12, 6, 3, 4)


@dataclass(frozen=True)
class Size:
    people: int = 30_000
    services: int = 150
    weeks: int = 52
    history: bool = True  # False: the same people, enrolled as long ago, and nothing since

    @property
    def path(self) -> Path:
        empty = "" if self.history else "-empty"
        name = f"council-v{VERSION}-{self.people}p-{self.services}s-{self.weeks}w{empty}"
        return FOLDER / f"{name}.sqlite3"


@dataclass(frozen=True)
class Said:
    """A comment from the pool with its tags, tagged once by the real tagger."""

    text: str
    tags: tuple[TagRecord, ...]


@dataclass(frozen=True)
class Member:
    person_id: int
    service_id: int
    carer: bool
    every_weeks: int
    offset: int


def comment_pool() -> list[Said]:
    # Imported here: the tagger brings TextBlob (and nltk) in, which a benchmark that only
    # reads the database (digest_scale.py) must not carry in its memory figure.
    from carebot.bot.incoming_words import tag_records
    from carebot.understanding.tagger import tag_text

    with COMMENTS.open(encoding="utf-8") as source:
        texts = [row["text"] for row in csv.DictReader(source)]
    return [Said(t, tuple(tag_records(tag_text(t)))) for t in texts]


def first_week(size: Size) -> datetime:
    """A Monday, `weeks` weeks before the week of 23 November 2026."""
    return datetime(2026, 11, 23, tzinfo=UTC) - timedelta(weeks=size.weeks)


def history_ends(size: Size) -> datetime:
    """The Monday the year of history ends: every schedule's next check-in is after it."""
    return first_week(size) + timedelta(weeks=size.weeks)


async def _directory(db: Database, size: Size, rng: random.Random,
                     now: datetime) -> tuple[int, list[int]]:
    """The council, providers, services (sizes from a long tail) and their staff."""
    council = await directory.add_organisation(db, "council", "Northshire Council", now)
    providers = [await directory.add_organisation(db, "provider", f"Provider {n + 1}", now)
                 for n in range(PROVIDERS)]
    services = []
    for n in range(size.services):
        provider = providers[n % PROVIDERS if n < PROVIDERS else rng.randrange(PROVIDERS)]
        service = await directory.add_service(
            db, council_id=council.id, provider_id=provider.id, name=f"Service {n + 1}",
            kind=KINDS[n % len(KINDS)], now=now)
        services.append(service.id)
    for provider in providers:
        await _enrol(db, Role.PROVIDER, f"Manager {provider.id}", now,
                     organisation_id=provider.id)
    await _enrol(db, Role.COMMISSIONER, "Commissioner", now, organisation_id=council.id)
    lead = await _enrol(db, Role.COMMISSIONER, "Lead", now, organisation_id=council.id)
    await directory.set_safeguarding_lead(db, council.id, lead)
    for service_id in services:
        duty = await _enrol(db, Role.DUTY_CONTACT, f"Duty {service_id}", now,
                            service_id=service_id)
        await directory.set_duty_contact(db, service_id, duty)
    return council.id, services


_chat = iter(range(1_000_000, 10_000_000))


async def _enrol(db: Database, role: Role, name: str, now: datetime, *,
                 organisation_id: int | None = None, service_id: int | None = None) -> int:
    """An invite used and consent given, as a person joining through the bot would."""
    code = await directory.create_invite(db, role=role, now=now, display_name=name,
                                         organisation_id=organisation_id,
                                         service_id=service_id)
    chat = next(_chat)
    person = await directory.enrol_from_invite(db, code=code, telegram_user_id=chat,
                                               chat_id=chat, fallback_name=name, now=now)
    assert person is not None
    await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now)
    return person.id


async def _people(db: Database, size: Size, services: list[int], rng: random.Random,
                  now: datetime) -> list[Member]:
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(services))]
    members = []
    names = ("Ann", "Bill", "Chen", "Dot", "Eve", "Femi", "Gita", "Huw", "Iris", "Joe")
    for n in range(size.people):
        service_id = rng.choices(services, weights)[0]
        carer = n % 3 == 2
        person_id = await _enrol(db, Role.CARER if carer else Role.PERSON,
                                 f"{names[n % len(names)]} {n}", now, service_id=service_id)
        frequency, every, _ = rng.choices(FREQUENCY, [f[2] for f in FREQUENCY])[0]
        members.append(Member(person_id, service_id, carer, every, rng.randrange(every)))
        await checkins.set_schedule(db, person_id=person_id, weekday=rng.randrange(7),
                                    time_window="morning", frequency=frequency,
                                    next_due_at=history_ends(size)
                                    + timedelta(days=rng.randrange(1, 8), hours=9))
    return members


def _answers(member: Member, due: datetime, rng: random.Random,
             pool: list[Said], week: int) -> tuple[str, list[history.PastAnswer]]:
    at = due + timedelta(minutes=rng.randrange(5, 240))
    overall = "carer_overall" if member.carer else "fft"
    outcomes = CARER_OUTCOMES if member.carer else OUTCOMES
    outcome = outcomes[(week + member.person_id) % len(outcomes)]
    found = [
        history.PastAnswer(overall, at, choice=rng.choices(FFT_SCALE, FFT_WEIGHTS)[0]),
        history.PastAnswer(outcome, at + timedelta(seconds=20),
                           choice=rng.choices(HOW_OFTEN_SCALE, OFTEN_WEIGHTS)[0]),
    ]
    plan = [overall, outcome]
    if rng.random() < 0.3:
        key, prompt = rng.choice(PROMPTS)
        plan.append(key)
        said = rng.choice(pool) if rng.random() < 0.5 else None
        found.append(history.PastAnswer(
            key, at + timedelta(seconds=60), prompt_kind=prompt, skipped=said is None,
            text=None if said is None else said.text, tags=() if said is None else said.tags))
    return ",".join(plan), found


def _week_of_checkins(members: list[Member], week: int, start: datetime, rng: random.Random,
                      pool: list[Said]) -> Iterator[history.PastCheckIn]:
    monday = start + timedelta(weeks=week)
    for member in members:
        if (week + member.offset) % member.every_weeks:
            continue
        due = monday + timedelta(days=member.person_id % 7, hours=9)
        finished = rng.random() < 0.65
        plan, said = _answers(member, due, rng, pool, week)
        yield history.PastCheckIn(
            member.person_id, member.service_id, due, plan, said if finished else (),
            helped_by=rng.choices((None, "family", "carer", "advocate"), (70, 18, 8, 4))[0],
            completed=finished)


async def _feedback(db: Database, members: list[Member], start: datetime, size: Size,
                    rng: random.Random, pool: list[Said], tagger: str) -> None:
    """Carers' problems, thank yous and ideas: about one a carer every half year."""
    carers = [m for m in members if m.carer]
    for _ in range(len(carers) * size.weeks // 26):
        carer = rng.choice(carers)
        said = rng.choice(pool)
        now = start + timedelta(minutes=rng.randrange(size.weeks * 7 * 24 * 60))
        issue = await issues.raise_issue(db, raised_by_id=carer.person_id,
                                         service_id=carer.service_id, text=said.text,
                                         now=now)
        await issues.set_issue_kind(db, issue.id, carer.person_id,
                                    rng.choice(tuple(IssueKind)), now)
        await tags.add_tags(db, tags=said.tags, tagger=tagger, now=now, issue_id=issue.id)


async def _alerts(db: Database, council_id: int, start: datetime, size: Size,
                  rng: random.Random) -> None:
    """Worrying answers: an alert each, acted on within the hour (most of them)."""
    lead = await db.scalar("SELECT safeguarding_lead_id FROM organisations WHERE id = ?",
                           (council_id,))
    rows = await db.fetchall(
        "SELECT a.id, a.service_id, a.person_id, a.answered_at FROM answers a "
        "JOIN tags t ON t.answer_id = a.id WHERE t.kind = 'risk' AND t.value != 'none' "
        "ORDER BY a.id")
    for row in rng.sample(rows, min(len(rows), size.services * 10)):
        now = from_db_time(row["answered_at"])
        alert_id = await alerts.raise_alert(
            db, alerts.NewAlert(row["service_id"], row["person_id"], "concern", None,
                                answer_id=row["id"]),
            handover=alerts.Handover(1, lead, (), None), now=now)
        if rng.random() < 0.95:
            await alerts.act(db, alert_id=alert_id, by_id=lead,
                             outcome=AlertOutcome.CONTACTED, note=None,
                             now=now + timedelta(minutes=rng.randrange(2, 90)))


_STARTED = time.perf_counter()


def _progress(what: str) -> None:
    print(f"  {time.perf_counter() - _STARTED:5.0f} s  {what}", file=sys.stderr, flush=True)


async def build(size: Size, seed: int = 2026) -> Path:
    """The council-year database for `size`, built if it is not there yet."""
    if size.path.exists():
        return size.path
    partial = size.path.with_suffix(".building")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    from carebot.understanding.tagger import TAGGER_NAME  # here, as in comment_pool

    rng = random.Random(seed)
    start = first_week(size)
    pool = comment_pool()
    db = await open_database(partial)
    try:
        council_id, services = await _directory(db, size, rng, start)
        members = await _people(db, size, services, rng, start)
        _progress(f"{len(members)} enrolled")
        for week in range(size.weeks if size.history else 0):
            await history.add_past_checkins(
                db, list(_week_of_checkins(members, week, start, rng, pool)),
                tagger=TAGGER_NAME, now=start + timedelta(weeks=week + 1))
        _progress(f"{size.weeks} weeks of check-ins")
        if size.history:
            await _feedback(db, members, start, size, rng, pool, TAGGER_NAME)
            await _alerts(db, council_id, start, size, rng)
            _progress("feedback and alerts")
    finally:
        await db.close()
    partial.rename(size.path)
    return size.path


def ready(size: Size) -> Path:
    """The database for `size`, built first in its own process if it is not there (so
    the tagger it uses is not counted in the memory of the benchmark that asks)."""
    subprocess.run([sys.executable, __file__, "--people", str(size.people),
                    "--services", str(size.services), "--weeks", str(size.weeks),
                    *([] if size.history else ["--empty"])], check=True)
    return size.path


def size_from_arguments(description: str) -> Size:
    """The council's size from the command line (--people, --services, --weeks)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--people", type=int, default=Size.people)
    parser.add_argument("--services", type=int, default=Size.services)
    parser.add_argument("--weeks", type=int, default=Size.weeks)
    parser.add_argument("--empty", action="store_true",
                        help="the same council with no history (a baseline)")
    args = parser.parse_args()
    return Size(args.people, args.services, args.weeks, not args.empty)


def main() -> None:
    size = size_from_arguments(__doc__.splitlines()[0])
    started = time.perf_counter()
    path = asyncio.run(build(size))
    print(f"{path} ({path.stat().st_size / 2**20:.0f} MiB) "
          f"ready in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
