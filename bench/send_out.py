"""How close a send-out comes to Telegram's overall limit, and what faults cost.

    .venv/bin/python bench/send_out.py [--n 2000] [--fail-every 10]

The real bot's outbox sender sends N queued messages to N people through the local
emulator, which enforces Telegram's flood limits (30 a second overall, 1 a second in one
chat) with 429 answers. Printed: the achieved rate as a ratio of the configured limit
(target at least 0.95), flood-limit breaches (target 0). Then again with every
`fail-every`-th send failing (a 500, and a connection dropped after delivery): messages
lost (target 0) and sent twice (bounded by the drops after delivery, whose answer never
came back, so they cannot be told from sends that failed).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.flood import OVERALL_PER_SECOND
from bot.outbox_sender import send_pending
from emulator.faults import Fault
from emulator.harness import LocalBot
from settings.clock import SimulatedClock
from settings.config import Config
from storage import outbox
from storage.models import Purpose

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--fail-every", type=int, default=10)
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
