"""Many check-ins due at the same minute: all opened in one pass of the periodic job, the
first going while the rest are opened; a stop in the middle of the send-out sends nothing
twice and loses nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from carebot.bot.jobs import OPEN_BATCH, run_tick
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage import checkins, directory
from carebot.storage.models import PersonStatus, Role
from tests.helpers import World, joined, small_world

PEOPLE = OPEN_BATCH * 2 + 50


async def _all_due(local: LocalBot, world: World, clock: SimulatedClock,
                   first_user: int) -> list[SimulatedPerson]:
    db, now = local.runtime.db, clock.now()
    people = []
    for n in range(PEOPLE):
        person = await joined(db, world, now, telegram_user_id=first_user + n,
                              role=Role.PERSON, name=f"P{n}")
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now)
        await checkins.set_schedule(db, person_id=person.id, weekday=now.weekday(),
                                    time_window="morning", next_due_at=now)
        people.append(local.person(first_user + n, f"P{n}"))
    clock.advance(timedelta(minutes=1))
    return people


async def test_more_than_a_batch_due_are_all_opened_and_sent_once(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    people = await _all_due(local, world, clock, 20_000)
    report = await local.tick()
    assert report.opened == PEOPLE
    assert [len(p.inbox) for p in people] == [1] * PEOPLE
    assert local.emulator.flood_breaches == 0
    assert (await local.tick()).opened == 0


async def test_a_stop_during_the_send_out_repeats_and_loses_nothing(
        config: Config, clock: SimulatedClock) -> None:
    """At Telegram's real pace (30 a second) the pass ends with the send-out under way."""
    async with LocalBot(replace(config, flood_window_seconds=1.0), clock) as local:
        world = await small_world(local.runtime.db, clock.now())
        people = await _all_due(local, world, clock, 30_000)
        report = await run_tick(local.app.bot, local.runtime)
        assert report.opened == PEOPLE
        assert local.runtime.ops.background  # still sending
        await local.stop_bot()
        assert 0 < sum(len(p.inbox) for p in people) < PEOPLE
        await local.start_bot()
        await local.settle(timeout=60)
        assert [len(p.inbox) for p in people] == [1] * PEOPLE
        statuses = await local.runtime.db.fetchall(
            "SELECT status, COUNT(*) FROM outbox GROUP BY 1")
        assert [tuple(row) for row in statuses] == [("sent", PEOPLE)]
