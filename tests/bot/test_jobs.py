"""The periodic job's duties run apart: one bad record, or one failing duty, never stops
check-ins, reminders or the outbox for everyone else, and a record that keeps failing is
set aside and reported instead of failing on every tick for ever."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from carebot.bot.delivery import LONGEST_WAIT, backoff
from carebot.bot.jobs import MAX_FAILURES, isolated
from carebot.conversations import schedule as schedules
from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.storage import checkins, directory, events
from carebot.storage.models import EventKind, Role
from tests.helpers import World, enrol


async def test_a_commissioner_without_a_council_stops_nobody_else(
        local: LocalBot, world: World, clock: SimulatedClock,
        caplog: pytest.LogCaptureFixture) -> None:
    rt = local.runtime
    code = await directory.create_invite(rt.db, role=Role.COMMISSIONER, now=clock.now(),
                                         display_name="Alex")  # no --organisation
    alex = local.person(801, "Alex")
    alex.send_command("start", code)
    await alex.wait_for_messages(1)
    alex.press_label("Yes")
    sam = await enrol(local, world, 802, "Sam")
    person = await directory.person_by_telegram_id(rt.db, 802)
    assert person is not None
    monday = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a digest is due, and Sam's check-in
    await checkins.set_schedule(rt.db, person_id=person.id, weekday=0, time_window="morning",
                                next_due_at=schedules.first_due(monday - timedelta(days=1),
                                                                weekday=0, window="morning"))
    clock.set(monday)
    before = len(sam.inbox)
    with caplog.at_level(logging.ERROR):
        first = await local.tick()
    assert first.opened == 1 and first.sent >= 1 and first.digests == 0
    assert sam.inbox[before].text == text("checkin.hello", name="Sam",
                                          service=f"{world.service_name} from Sunrise Care")
    assert "digest for person" in caplog.text
    for _ in range(MAX_FAILURES):
        clock.advance(timedelta(minutes=1))
        await local.tick()
    set_aside = await events.events_of_kind(rt.db, EventKind.SET_ASIDE)
    alex_id = await _id(local, 801)
    assert [row["detail"] for row in set_aside] == [f"digest for person {alex_id}"]
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        await local.tick()
    assert "digest for person" not in caplog.text  # set aside: not tried again


async def _id(local: LocalBot, telegram_user_id: int) -> int:
    person = await directory.person_by_telegram_id(local.runtime.db, telegram_user_id)
    assert person is not None
    return person.id


async def test_isolated_work_is_set_aside_after_failures_in_a_row(local: LocalBot) -> None:
    rt = local.runtime
    calls = 0

    async def fails() -> int:
        nonlocal calls
        calls += 1
        raise RuntimeError("a bad record")

    async def works() -> int:
        return 7

    results = [await isolated(rt, "record 1", fails) for _ in range(MAX_FAILURES + 2)]
    assert results == [None] * (MAX_FAILURES + 2) and calls == MAX_FAILURES
    assert await isolated(rt, "record 2", works) == 7
    assert await isolated(rt, "record 3", fails) is None
    assert await isolated(rt, "record 3", works) == 7
    assert rt.ticks.failures["record 3"] == 0  # a success starts the count again


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (5, 10, 20)]
    assert backoff(50) == LONGEST_WAIT
