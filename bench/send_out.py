"""How close a send-out comes to Telegram's overall limit, what faults cost, and how few
messages it needs under way.

    .venv/bin/python bench/send_out.py [--n 2000] [--fail-every 10] [--paced 600]

The real bot's outbox sender sends N queued messages to N people through the local
emulator, which enforces Telegram's flood limits (30 a second overall, 1 a second in one
chat) with 429 answers. Printed: the achieved rate as a ratio of the configured limit
(target at least 0.95), flood-limit breaches (target 0). Then again with every
`fail-every`-th send failing (a 500, and a connection dropped after delivery): messages
lost (target 0) and sent twice (bounded by the drops after delivery, whose answer never
came back, so they cannot be told from sends that failed).

Last, `paced` messages sent with the sender's pace (as many under way as the rate needs
at the time a send takes) against the baseline of a fixed `max_in_flight` (30) under way,
as before issue 26, in turn, at loopback and with each answer 50 and 200 ms later (a
Telegram farther away): the rate of each, their ratio (target at least 0.95), and the
most messages under way at once, which is what a kill -9 can send twice.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from carebot.bot import outbox_sender
from carebot.bot.delivery import send_one
from carebot.bot.flood import OVERALL_PER_SECOND, SendPace
from carebot.bot.outbox_sender import send_pending
from carebot.bot.rate_limit import JSON, FloodRateLimiter
from carebot.emulator.faults import Fault
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage import outbox
from carebot.storage.models import Purpose

FIRST_CHAT = 100_000


async def send_out(n: int, faults: list[Fault]) -> tuple[float, int, int, int, int]:
    """(achieved rate / limit, breaches, lost, repeated, answers dropped after delivery)
    for one send-out of `n`."""
    with tempfile.TemporaryDirectory() as folder:
        clock = SimulatedClock(datetime(2026, 11, 23, 10, tzinfo=UTC))
        config = Config(database=Path(folder) / "bench.sqlite3", tick_seconds=3600,
                        health_port=0, nightly_backup=False)
        async with LocalBot(config, clock, enforce_flood_limits=True) as local:
            await asyncio.sleep(0.2)  # the periodic job's first pass starts at 0.05 s
            await local.settle()
            local.emulator.faults.rules.extend(faults)
            rt = local.runtime
            chats = [local.person(FIRST_CHAT + i, "P").id for i in range(n)]
            for chat in chats:
                await outbox.enqueue(rt.db, outbox.NewMessage(
                    chat, Purpose.TALK_REQUEST, text="Your check-in is ready."), clock.now())
            started = time.perf_counter()
            sent = await send_pending(local.app.bot, rt)
            elapsed = time.perf_counter() - started
            while await rt.db.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'"):
                clock.advance(timedelta(hours=1))  # retries are due: send them now
                await send_pending(local.app.bot, rt)
            await local.settle(timeout=600)
            delivered = [len(local.emulator.chats[c].messages) for c in chats]
            rate = sent / elapsed / OVERALL_PER_SECOND
            dropped = local.emulator.faults.injected["sendMessage:drop_after"]
            return (rate, local.emulator.flood_breaches, delivered.count(0),
                    sum(delivered) - n, dropped)


class _FixedInFlight(SendPace):
    """The baseline: `max_in_flight` under way whatever a send takes."""

    def in_flight(self, most: int) -> int:
        return most


@contextmanager
def _farther(seconds: float) -> Iterator[None]:
    """Each send's answer comes `seconds` later, while it holds its place in the flood
    window, as from a Telegram farther away."""
    original = FloodRateLimiter.process_request

    async def farther(self: FloodRateLimiter,
                      callback: Callable[..., Coroutine[Any, Any, JSON]], args: Any,
                      kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                      rate_limit_args: int | None) -> JSON:
        async def later(*a: Any, **k: Any) -> JSON:
            await asyncio.sleep(seconds)
            return await callback(*a, **k)
        return await original(self, later, args, kwargs, endpoint, data, rate_limit_args)

    with patch.object(FloodRateLimiter, "process_request", farther):
        yield


@contextmanager
def most_under_way() -> Iterator[list[int]]:
    """The most outbox messages under way at once (being read, sent or recorded), in a
    one-item list filled in as the sender runs."""
    most, now = [0], [0]

    async def counted(*args: Any, **kwargs: Any) -> int | None:
        now[0] += 1
        most[0] = max(most[0], now[0])
        try:
            return await send_one(*args, **kwargs)
        finally:
            now[0] -= 1

    with patch.object(outbox_sender, "send_one", counted):
        yield most


async def paced(n: int, farther: float, fixed: bool) -> tuple[float, int, int]:
    """(achieved rate / limit, most under way, breaches) for one send-out of `n`, each
    answer `farther` seconds later; with `fixed`, `max_in_flight` under way throughout."""
    with tempfile.TemporaryDirectory() as folder, _farther(farther), \
            most_under_way() as most:
        clock = SimulatedClock(datetime(2026, 11, 23, 10, tzinfo=UTC))
        config = Config(database=Path(folder) / "bench.sqlite3", tick_seconds=3600,
                        health_port=0, nightly_backup=False)
        async with LocalBot(config, clock, enforce_flood_limits=True) as local:
            limiter = local.app.bot.rate_limiter
            assert isinstance(limiter, FloodRateLimiter)
            if fixed:
                limiter.pace = _FixedInFlight(limiter.pace.rate)
            rt = local.runtime
            for i in range(n):
                chat = local.person(FIRST_CHAT + i, "P").id
                await outbox.enqueue(rt.db, outbox.NewMessage(
                    chat, Purpose.TALK_REQUEST, text="Your check-in is ready."), clock.now())
            await asyncio.sleep(config.flood_window_seconds * 1.1)  # the window is empty
            started = time.perf_counter()
            sent = await send_pending(local.app.bot, rt)
            rate = sent / (time.perf_counter() - started) / OVERALL_PER_SECOND
            return rate, most[0], local.emulator.flood_breaches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--fail-every", type=int, default=10)
    parser.add_argument("--paced", type=int, default=600)
    args = parser.parse_args()
    rate, breaches, lost, repeated, _ = asyncio.run(send_out(args.n, []))
    print(f"send-out of {args.n}: rate {rate:.3f} of the limit ({OVERALL_PER_SECOND}/s), "
          f"breaches {breaches}, lost {lost}, repeated {repeated}")
    every = args.fail_every
    faults = [Fault("sendMessage", "500", every), Fault("sendMessage", "drop_after", every + 1)]
    _, breaches, lost, repeated, dropped = asyncio.run(send_out(args.n, faults))
    print(f"with 1 in {every} sends failing (500) and 1 in {every + 1} dropped after delivery: "
          f"breaches {breaches}, lost {lost}, repeated {repeated} "
          f"(answers dropped after delivery: {dropped})")
    print(f"the sender's pace against {Config().max_in_flight} under way (the baseline), "
          f"{args.paced} messages each:")
    for farther in (0.0, 0.05, 0.2):
        base_rate, base_most, base_breaches = asyncio.run(paced(args.paced, farther, True))
        rate, most, breaches = asyncio.run(paced(args.paced, farther, False))
        where = "at loopback" if not farther else f"{farther * 1000:.0f} ms farther"
        print(f"  {where:>15}: rate {rate:.3f} of the limit against {base_rate:.3f} "
              f"({rate / base_rate:.2f}x; target >= 0.95x), at most {most} under way against "
              f"{base_most}, breaches {breaches + base_breaches}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
