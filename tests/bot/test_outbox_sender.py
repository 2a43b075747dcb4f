"""The outbox sender claims at most `max_in_flight` messages ahead and sends only as many
at once as Telegram's rate needs at the time a send takes (a crash can repeat those);
each is marked sent as soon as Telegram answers; and a send-out asked for while one runs
is not lost."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from carebot.bot import outbox_sender
from carebot.bot.delivery import send_one
from carebot.bot.flood import FEWEST_IN_FLIGHT, SendPace
from carebot.bot.outbox_sender import send_pending
from carebot.bot.rate_limit import FloodRateLimiter
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage import outbox
from carebot.storage.models import Purpose

PEOPLE = 90
IN_FLIGHT = 10


class _Pace(SendPace):
    """A pace that asks for `under_way`, whatever sends take."""

    def __init__(self, under_way: int) -> None:
        super().__init__(rate=30)
        self.under_way = under_way

    def in_flight(self, most: int) -> int:
        return min(most, self.under_way)


@pytest.fixture
def most_under_way(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The most outbox messages a send-out has had under way at once (being read, sent
    or recorded: what a crash could send twice), in a one-item list."""
    most, now = [0], [0]

    async def counted(*args: Any, **kwargs: Any) -> int | None:
        now[0] += 1
        most[0] = max(most[0], now[0])
        try:
            return await send_one(*args, **kwargs)
        finally:
            now[0] -= 1

    monkeypatch.setattr(outbox_sender, "send_one", counted)
    yield most


def _limiter(local: LocalBot) -> FloodRateLimiter:
    limiter = local.app.bot.rate_limiter
    assert isinstance(limiter, FloodRateLimiter)
    return limiter


async def _queue(local: LocalBot, first_user: int, count: int) -> None:
    rt = local.runtime
    for n in range(count):
        chat = local.person(first_user + n, "P").id
        await outbox.enqueue(rt.db, outbox.NewMessage(chat, Purpose.TALK_REQUEST, text="hi"),
                             rt.clock.now())


async def test_claims_at_most_max_in_flight_and_sends_as_many_as_the_pace_asks(
        config: Config, clock: SimulatedClock, most_under_way: list[int]) -> None:
    async with LocalBot(replace(config, max_in_flight=IN_FLIGHT), clock) as local:
        rt = local.runtime
        _limiter(local).pace = _Pace(under_way=3)
        await _queue(local, 5000, PEOPLE)
        sending = asyncio.create_task(send_pending(local.app.bot, rt))
        peak = 0
        while not sending.done():
            peak = max(peak, int(await rt.db.scalar(
                "SELECT COUNT(*) FROM outbox WHERE status = 'sending'")))
            await asyncio.sleep(0.002)
        assert await sending == PEOPLE
        assert 1 <= peak <= IN_FLIGHT
        assert most_under_way == [3]  # all three wait for room in the window at the start
        assert await rt.db.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == PEOPLE


async def test_at_loopback_latency_a_send_out_keeps_only_a_few_under_way(
        config: Config, clock: SimulatedClock, most_under_way: list[int]) -> None:
    """With Telegram's real one-second window and the default `max_in_flight` (30): the
    pace is measured without the waits for room, so a send here needs only a few under
    way to keep up, and a crash could repeat only those (issue 26 asks at most 10)."""
    async with LocalBot(replace(config, flood_window_seconds=1.0), clock) as local:
        rt = local.runtime
        await _queue(local, 5500, 60)
        assert await send_pending(local.app.bot, rt) == 60
        pace = _limiter(local).pace
        assert pace.busy_seconds > 0
        assert FEWEST_IN_FLIGHT <= most_under_way[0] <= 10
        assert pace.in_flight(config.max_in_flight) <= 10
        shown = rt.ops.metrics.registry.get_sample_value("carebot_outbox_in_flight_limit")
        assert shown is not None and shown <= 10  # as /metrics shows it


def test_in_flight_is_the_rate_times_the_time_a_send_takes() -> None:
    """Little's law, with a margin, between FEWEST_IN_FLIGHT and `max_in_flight`."""
    pace = SendPace(rate=30)
    assert pace.in_flight(30) == FEWEST_IN_FLIGHT  # nothing measured yet
    pace.note(0.005)  # loopback
    assert pace.in_flight(30) == FEWEST_IN_FLIGHT
    pace = SendPace(rate=30)
    for _ in range(100):
        pace.note(0.09)  # a Telegram 90 ms away: 30 x 0.09 x 2 = 5.4
    assert pace.in_flight(30) == 6
    assert pace.in_flight(4) == 4  # never more than max_in_flight
    assert SendPace(rate=30).in_flight(1) == 1


def test_the_time_a_send_takes_is_a_moving_average() -> None:
    """One slow send (the first, say, on a new connection) moves it a little; sends that
    stay slow move it all the way."""
    pace = SendPace(rate=30)
    pace.note(2.0)
    assert 0 < pace.busy_seconds < 0.5
    for _ in range(100):
        pace.note(0.19)
    assert pace.in_flight(30) == 12  # 30 x 0.19 x 2 = 11.4


async def test_a_send_out_asked_for_during_another_is_not_lost(local: LocalBot) -> None:
    rt = local.runtime
    await _queue(local, 6000, 40)
    first = asyncio.create_task(send_pending(local.app.bot, rt))
    await asyncio.sleep(0.01)
    await _queue(local, 7000, 5)  # e.g. an alert raised while a send-out runs
    assert await send_pending(local.app.bot, rt) == 0  # the running one takes it
    assert await first == 45
    assert await rt.db.scalar("SELECT COUNT(*) FROM outbox WHERE status != 'sent'") == 0


async def test_one_chat_gets_its_messages_in_the_order_they_were_written(
        local: LocalBot, tmp_path: Path) -> None:
    """A summary before its files, a question after what led to it: one at a time per
    chat, while other chats go on at once."""
    rt = local.runtime
    reader = local.person(8100, "Alex")
    others = [local.person(8101 + n, "P") for n in range(5)]
    report = tmp_path / "report.html"
    report.write_text("<p>report</p>", encoding="utf-8")
    for n in range(8):
        file = str(report) if n % 3 == 0 else None
        await outbox.enqueue(rt.db, outbox.NewMessage(
            reader.id, Purpose.DIGEST_FILE if file else Purpose.DIGEST, text=f"part {n}",
            document_path=file), rt.clock.now())
        await outbox.enqueue(rt.db, outbox.NewMessage(others[n % 5].id, Purpose.DIGEST,
                                                      text="hi"), rt.clock.now())
    assert await send_pending(local.app.bot, rt) == 16
    assert reader.texts() == [f"part {n}" for n in range(8)]


async def test_an_alert_goes_ahead_of_a_send_out_already_waiting(local: LocalBot) -> None:
    """A risk never waits: with a send-out to many queued, an alert and a reply written
    after it are claimed first, the alert before the reply."""
    rt = local.runtime
    now = rt.clock.now()
    for n in range(50):
        await outbox.enqueue(rt.db, outbox.NewMessage(9000 + n, Purpose.ACTION,
                                                      text="You said, we did"), now)
    await outbox.enqueue(rt.db, outbox.NewMessage(9100, Purpose.ISSUE_NEWS, text="news"), now)
    await outbox.enqueue(rt.db, outbox.NewMessage(9101, Purpose.ALERT, text="alert"), now)
    claimed = await outbox.claim_pending(rt.db, now, 3)
    assert [m.purpose for m in claimed] == [Purpose.ALERT, Purpose.ISSUE_NEWS, Purpose.ACTION]
    assert claimed[2].chat_id == 9000  # a send-out goes in the order it was written
