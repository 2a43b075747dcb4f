"""Kept week counts are never out of date: each is what counting the answers afresh
gives, and any change to an answer, a tag or a finished check-in in a kept week (from
whatever 7-day window it was kept for) removes it, so the next report counts again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from carebot.storage import checkins, history, trends
from carebot.storage.db import Database, to_db_time
from carebot.storage.history import PastAnswer, PastCheckIn
from carebot.storage.models import Person, Role, TagKind, TagRecord
from carebot.storage.week_counts import WEEK, WeekCounts, counted_weeks
from tests.helpers import World, joined, small_world

START = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday: weeks 0, 1, 2 run to 23 November
NOW = START + 3 * WEEK


def _answered(at: datetime, fft: str, words: str | None = None,
              theme: str | None = None) -> list[PastAnswer]:
    tags = [] if theme is None else [TagRecord(TagKind.THEME, theme, 1.0, words),
                                     TagRecord(TagKind.SENTIMENT, "negative", -0.5, None)]
    found = [PastAnswer("fft", at, choice=fft)]
    if words is not None:
        found.append(PastAnswer("working", at, text=words, prompt_kind="working", tags=tags))
    return found


async def _add(db: Database, person: Person, at: datetime, fft: str, words: str | None = None,
               theme: str | None = None, helped_by: str | None = None) -> None:
    assert person.service_id is not None
    await history.add_past_checkins(db, [PastCheckIn(
        person.id, person.service_id, at, "fft,working", _answered(at, fft, words, theme),
        helped_by=helped_by)], tagger="test", now=NOW)


async def _setting(db: Database) -> tuple[World, list[Person]]:
    world = await small_world(db, START)
    people = [await joined(db, world, START, telegram_user_id=800 + n, role=Role.PERSON,
                           name=f"K{n}") for n in range(3)]
    for n, person in enumerate(people):
        await _add(db, person, START + timedelta(days=1, hours=n), "good", "late again",
                   "punctuality", helped_by="family" if n else None)
        await _add(db, person, START + WEEK + timedelta(days=2), "poor")
    return world, people


async def _run(db: Database, sql: str, params: tuple[object, ...] = ()) -> None:
    async with db.transaction() as tx:
        await tx.execute(sql, params)


async def _kept(db: Database, service: int) -> list[str]:
    rows = await db.fetchall("SELECT week_start FROM week_counts WHERE service_id = ? "
                             "ORDER BY week_start", (service,))
    return [row[0] for row in rows]


async def test_counts_are_what_the_answers_say_and_are_kept(db: Database) -> None:
    world, people = await _setting(db)
    weeks = await counted_weeks(db, [world.service_id], START, 3)
    first = weeks.of(world.service_id, 0)
    assert first.choices == {"fft": {"good": 3}} and first.people == {"fft": 3}
    assert first.themes == {"punctuality": (3, 3)} and first.sentiment == {"negative": 3}
    assert first.helped == {"alone": 1, "family": 2}
    assert first.answers == 6 and sorted(first.answered) == sorted(p.id for p in people)
    assert weeks.of(world.service_id, 1).choices == {"fft": {"poor": 3}}
    assert weeks.of(world.service_id, 2) == WeekCounts()
    period = weeks.period(world.service_id, range(3))
    assert (period.fft, period.sentiment) == ({"good": 3, "poor": 3}, {"negative": 3})
    assert period.helped == {"alone": 4, "family": 2}  # the second week: all alone
    assert (period.answers, period.respondents) == (9, 3)  # the same three both weeks
    assert len(await _kept(db, world.service_id)) == 3
    again = await counted_weeks(db, [world.service_id], START, 3)
    assert again == weeks


async def test_a_week_kept_in_another_shape_is_counted_again(db: Database) -> None:
    world, _ = await _setting(db)
    await _run(db, "INSERT INTO week_counts (service_id, week_start, counts) VALUES (?, ?, ?)",
               (world.service_id, to_db_time(START), '{"choices": {}}'))
    weeks = await counted_weeks(db, [world.service_id], START, 1)
    assert weeks.of(world.service_id, 0).choices == {"fft": {"good": 3}}
    kept = await db.scalar("SELECT counts FROM week_counts WHERE service_id = ?",
                           (world.service_id,))
    assert WeekCounts.from_json(kept) == weeks.of(world.service_id, 0)


async def test_any_change_in_a_kept_week_removes_it(db: Database) -> None:
    world, people = await _setting(db)
    service = world.service_id
    await counted_weeks(db, [service], START, 3)
    # Another reader's week, starting on a Thursday: it holds the second week's answers.
    thursday = START + timedelta(days=3)
    await counted_weeks(db, [service], thursday, 2)
    assert len(await _kept(db, service)) == 5

    answer = await db.scalar("SELECT id FROM answers WHERE choice = 'poor' LIMIT 1")
    await _run(db, "UPDATE answers SET choice = 'very_poor' WHERE id = ?", (answer,))
    # Week 1 (9 Nov) and Thursday's first week (5 Nov) both hold 11 November: gone.
    assert await _kept(db, service) == [to_db_time(START), to_db_time(thursday + WEEK),
                                        to_db_time(START + 2 * WEEK)]
    weeks = await counted_weeks(db, [service], START, 3)
    assert weeks.of(service, 1).choices == {"fft": {"poor": 2, "very_poor": 1}}

    tag = await db.scalar("SELECT id FROM tags WHERE kind = 'theme' LIMIT 1")
    await _run(db, "UPDATE tags SET value = 'communication' WHERE id = ?", (tag,))
    assert to_db_time(START) not in await _kept(db, service)
    weeks = await counted_weeks(db, [service], START, 3)
    assert weeks.of(service, 0).themes == {"punctuality": (2, 2), "communication": (1, 1)}

    await _run(db, "UPDATE answers SET text = NULL WHERE text IS NOT NULL")  # /forget
    await _run(db, "DELETE FROM tags WHERE kind = 'sentiment'")
    assert to_db_time(START) not in await _kept(db, service)
    assert (await counted_weeks(db, [service], START, 1)).of(service, 0).sentiment == {}

    await _add(db, people[0], START + 2 * WEEK + timedelta(days=1), "very_good")
    assert to_db_time(START + 2 * WEEK) not in await _kept(db, service)
    weeks = await counted_weeks(db, [service], START, 3)
    assert weeks.of(service, 2).choices == {"fft": {"very_good": 1}}


async def test_a_checkin_finished_in_a_kept_week_removes_it(db: Database) -> None:
    world, people = await _setting(db)
    service = world.service_id
    at = START + 2 * WEEK + timedelta(days=2)
    assert people[1].service_id is not None
    checkin = await checkins.open_checkin_now(db, person_id=people[1].id, service_id=service,
                                              questions="fft", now=at)
    assert checkin is not None
    await checkins.mark_checkin_sent(db, checkin.id, 1, at)
    assert await checkins.start_checkin(db, checkin.id, "advocate")
    await counted_weeks(db, [service], START, 3)
    opened = await checkins.get_checkin(db, checkin.id)
    assert opened is not None
    await checkins.record_answer(db, checkin=opened, step=1, answer=checkins.NewAnswer(
        "fft", None, "good", None, False), last_step=True, now=at + timedelta(minutes=1))
    weeks = await counted_weeks(db, [service], START, 3)
    assert weeks.of(service, 2).helped == {"advocate": 1}
    assert weeks.of(service, 2).choices == {"fft": {"good": 1}}


async def test_weeks_from_an_odd_moment_are_counted_not_kept(db: Database) -> None:
    """"The last 7 days", asked for at 14:23:17, never comes round again."""
    world, _ = await _setting(db)
    odd = START + timedelta(hours=-1, minutes=23, seconds=17)
    weeks = await counted_weeks(db, [world.service_id], odd, 2)
    assert weeks.of(world.service_id, 0).choices == {"fft": {"good": 3}}
    assert await _kept(db, world.service_id) == []


@pytest.mark.sqlite_only  # made read-only with SQLite's pragma
async def test_counts_are_still_given_when_they_cannot_be_kept(db: Database) -> None:
    """A database that will not take writes (full disk, locked): the report is made."""
    world, _ = await _setting(db)
    await _run(db, "PRAGMA query_only = ON")  # every write fails from here on
    weeks = await counted_weeks(db, [world.service_id], START, 2)
    assert weeks.of(world.service_id, 0).choices == {"fft": {"good": 3}}
    assert await _kept(db, world.service_id) == []


async def test_quotes_are_the_newest_of_each_wanted_group_however_far_back(
        db: Database) -> None:
    """Read back a window at a time, the words found are those one read of the whole
    period gives for each wanted group: the newest, even when they are months old."""
    world = await small_world(db, START)
    person = await joined(db, world, START, telegram_user_id=900, role=Role.PERSON, name="Q")
    end = START + 30 * WEEK
    for week in range(30):
        theme = "punctuality" if week < 2 else "staff_attitude"
        for n in range(3):
            await _add(db, person, START + week * WEEK + timedelta(hours=n), "good",
                       f"comment {week}.{n}", theme)
    wanted = {world.service_id: {("theme", "punctuality"): 6, ("theme", "staff_attitude"): 84,
                                 ("prompt", "working"): 90}}
    said = await trends.words_said(db, wanted, START, end, per_group=5)
    whole = await trends.words_said(
        db, {world.service_id: {}}, START, end, per_group=5)
    assert whole == []  # a service wanting nothing reads nothing
    old = [s.text for s in said if "punctuality" in s.themes]
    assert old == ["comment 1.2", "comment 1.1", "comment 1.0", "comment 0.2", "comment 0.1"]
    recent = [s.text for s in said if "staff_attitude" in s.themes][:5]
    assert recent == ["comment 29.2", "comment 29.1", "comment 29.0", "comment 28.2",
                      "comment 28.1"]
    assert [s.text for s in said][:2] == ["comment 29.2", "comment 29.1"]  # newest first


async def test_reading_back_stops_once_enough_people_said_something_different(
        db: Database) -> None:
    """Three people with three different comments in the last weeks are enough for
    three quotes: a year of older comments is not read."""
    world = await small_world(db, START)
    people = [await joined(db, world, START, telegram_user_id=910 + n, role=Role.PERSON,
                           name=f"R{n}") for n in range(3)]
    end = START + 30 * WEEK
    for week in (0, 10, 29):
        for n, person in enumerate(people):
            await _add(db, person, START + week * WEEK + timedelta(hours=n), "good",
                       f"said {week}.{n}", "punctuality")
    wanted = {world.service_id: {("theme", "punctuality"): 9}}
    said = await trends.words_said(db, wanted, START, end, per_group=20, enough=3)
    assert [s.text for s in said] == ["said 29.2", "said 29.1", "said 29.0"]
    everything = await trends.words_said(db, wanted, START, end, per_group=20, enough=4)
    assert len(everything) == 9  # four wanted, three found: read back to the start
