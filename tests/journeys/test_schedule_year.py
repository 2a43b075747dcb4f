"""A simulated year of schedules, through both clock changes and three outages: every
check-in and reminder is sent exactly when it should be, once, and never at night."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from carebot.bot.jobs import run_tick
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.storage import checkins, directory
from tests.helpers import World, enrol

pytestmark = pytest.mark.slow

LONDON = ZoneInfo("Europe/London")
WINDOWS = {"morning": (time(10), time(12)), "afternoon": (time(14), time(17)),
           "evening": (time(18), time(20))}
STEP_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 28}
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)
CLOCK_START = YEAR_START - timedelta(days=1)
# (first tick missing, first tick back): the bot was down in between.
OUTAGES = (
    (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), datetime(2026, 3, 2, 11, 30, tzinfo=UTC)),
    (datetime(2026, 6, 15, 8, 0, tzinfo=UTC), datetime(2026, 6, 15, 12, 0, tzinfo=UTC)),
    (datetime(2026, 10, 20, 0, 0, tzinfo=UTC), datetime(2026, 10, 27, 9, 0, tzinfo=UTC)),
)


@dataclass(frozen=True)
class Choice:
    user_id: int
    frequency: str
    weekday: int
    window: str


CHOICES = (Choice(1101, "weekly", 0, "morning"), Choice(1102, "fortnightly", 2, "afternoon"),
           Choice(1103, "monthly", 4, "evening"), Choice(1104, "weekly", 6, "evening"))


def _ticks() -> list[datetime]:
    ticks = []
    moment = YEAR_START
    while moment < YEAR_END:
        if not any(down <= moment < back for down, back in OUTAGES):
            ticks.append(moment)
        moment += timedelta(hours=1)
    ticks.extend(back for _, back in OUTAGES)
    return sorted(set(ticks))


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LONDON).astimezone(UTC)


def _expected(choice: Choice, ticks: list[datetime]) -> tuple[list[tuple[str, datetime]], int]:
    """What a person should receive, worked out from the rules alone: (kind, when) for
    each message, and how many check-ins are missed."""
    opens, closes = WINDOWS[choice.window]
    day = (YEAR_START + timedelta(days=1)).astimezone(LONDON).date()  # after enrolment
    while day.weekday() != choice.weekday:
        day += timedelta(days=1)
    sent: list[tuple[str, datetime]] = []
    missed = 0
    while _at(day, opens) < ticks[-1]:
        due, close = _at(day, opens), _at(day, closes)
        first = next((t for t in ticks if t >= due), None)
        if first is None:
            break
        if first > close:
            missed += 1
        else:
            sent.append(("hello", first))
            for t in ticks:
                local = t.astimezone(LONDON).time()
                if t - first > timedelta(hours=24) and opens <= local <= closes:
                    if t - due <= timedelta(hours=72):
                        sent.append(("reminder", t))
                    break
        day += timedelta(days=STEP_DAYS[choice.frequency])
        if first > close:  # after an outage the schedule picks up from the next due day
            while _at(day, opens) < first:
                day += timedelta(days=STEP_DAYS[choice.frequency])
    return sent, missed


async def test_a_year_of_schedules_sends_exactly_what_is_due(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    for choice in CHOICES:
        await enrol(local, world, choice.user_id, f"P{choice.user_id}")
        person = await directory.person_by_telegram_id(local.runtime.db, choice.user_id)
        assert person is not None
        await checkins.set_schedule(
            local.runtime.db, person_id=person.id, weekday=choice.weekday,
            time_window=choice.window, frequency=choice.frequency,
            next_due_at=_first_due(choice))
    before = {c.user_id: len(local.emulator.chats[c.user_id].messages) for c in CHOICES}
    ticks = _ticks()
    for moment in ticks:
        clock.set(moment)
        await run_tick(local.app.bot, local.runtime)
    await local.settle()
    for choice in CHOICES:
        messages = local.emulator.chats[choice.user_id].messages[before[choice.user_id]:]
        got = [("reminder" if "still here" in (m.text or "") else "hello",
                datetime.fromtimestamp(m.date, UTC)) for m in messages]
        expected, missed = _expected(choice, ticks)
        assert got == expected, choice
        for _, when in got:
            local_time = when.astimezone(LONDON).time()
            assert time(8) <= local_time < time(21), (choice, when)
        person = await directory.person_by_telegram_id(local.runtime.db, choice.user_id)
        assert person is not None
        statuses = await local.runtime.db.fetchall(
            "SELECT status FROM checkins WHERE person_id = ?", (person.id,))
        assert sum(row["status"] == "missed" for row in statuses) == missed, choice
        assert len(statuses) == len([k for k, _ in expected if k == "hello"]) + missed
    assert local.emulator.flood_breaches == 0 and local.emulator.bad_calls == []


def test_the_rules_model_covers_the_cases_that_matter() -> None:
    """The expected list itself shows late sending, missing, and both clock settings."""
    monday = _expected(CHOICES[0], _ticks())
    sent = [when for kind, when in monday[0] if kind == "hello"]
    assert datetime(2026, 3, 2, 11, 30, tzinfo=UTC) in sent      # late, still in window
    assert not any(when.date() == date(2026, 6, 15) for when in sent)  # window missed
    assert datetime(2026, 7, 6, 9, 0, tzinfo=UTC) in sent        # 10:00 summer time
    assert datetime(2026, 12, 7, 10, 0, tzinfo=UTC) in sent      # 10:00 winter time
    assert monday[1] == 2 and len(sent) == 50


def _first_due(choice: Choice) -> datetime:
    day = (YEAR_START + timedelta(days=1)).astimezone(LONDON).date()
    while day.weekday() != choice.weekday:
        day += timedelta(days=1)
    return _at(day, WINDOWS[choice.window][0])
