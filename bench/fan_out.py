"""How close a fan-out of check-ins due at the same minute comes to Telegram's limit.

    .venv/bin/python bench/fan_out.py [--due 2000 10000]

For each size: that many people enrolled (through storage, as the bot enrols them), each
with a check-in due at 09:00 on the same Monday; the real bot runs against the local
emulator, which enforces Telegram's flood limits (30 new messages a second overall, one a
second per chat) with 429 answers. One pass of the periodic job starts at 09:00:30 and
the emulator notes when each first message arrives. Printed, three runs each (min /
median / max): the achieved rate from the first arrival to the last as a ratio of the
configured limit (target >= 0.95), the seconds from the start of the pass to the last
person's first message (for 2,000, target <= 70 s; the limit allows 66.7 s), breaches
of the overall or per-chat limit (target 0), and the most hellos under way at once (what
a kill -9 can send twice; issue 26 asks at most 10).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from measure import RUNS, spread
from send_out import most_under_way

from carebot.bot.flood import OVERALL_PER_SECOND
from carebot.bot.jobs import run_tick
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage import checkins, directory
from carebot.storage.db import Database
from carebot.storage.models import PersonStatus, Role

DUE = datetime(2026, 11, 23, 9, tzinfo=UTC)  # a Monday, 09:00 in London
FIRST_USER = 1_000_000


@dataclass(frozen=True)
class FanOut:
    rate: float          # first arrival to last, as a share of the overall limit
    last_after: float    # seconds from the start of the pass to the last first message
    breaches: int
    under_way: int       # the most hellos under way at once


async def _enrol(db: Database, due: int, now: datetime) -> list[int]:
    """`due` people of one service, active, each with a check-in due at DUE."""
    council = await directory.add_organisation(db, "council", "Northshire Council", now)
    provider = await directory.add_organisation(db, "provider", "Provider", now)
    service = await directory.add_service(db, council_id=council.id, provider_id=provider.id,
                                          name="Home care", kind="home care", now=now)
    chats = []
    for n in range(due):
        chat = FIRST_USER + n
        code = await directory.create_invite(db, role=Role.PERSON, now=now,
                                             service_id=service.id)
        person = await directory.enrol_from_invite(db, code=code, telegram_user_id=chat,
                                                   chat_id=chat, fallback_name=f"P{n}",
                                                   now=now)
        assert person is not None
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now)
        await checkins.set_schedule(db, person_id=person.id, weekday=0,
                                    time_window="morning", next_due_at=DUE)
        chats.append(chat)
    return chats


async def fan_out(due: int) -> FanOut:
    with tempfile.TemporaryDirectory() as folder, most_under_way() as most:
        clock = SimulatedClock(DUE - timedelta(days=1))
        config = Config(database=Path(folder) / "fan-out.sqlite3",
                        output_dir=Path(folder) / "out", tick_seconds=3600,
                        health_port=0, nightly_backup=False)
        async with LocalBot(config, clock, enforce_flood_limits=True) as local:
            for chat in await _enrol(local.runtime.db, due, clock.now()):
                local.person(chat, "P")
            clock.set(DUE + timedelta(seconds=30))
            await asyncio.sleep(1.5)  # the flood window is empty when the pass starts
            local.emulator.arrivals.clear()
            started = time.monotonic()
            report = await run_tick(local.app.bot, local.runtime)
            await local.settle(timeout=due / OVERALL_PER_SECOND * 3)
            arrivals = local.emulator.arrivals
            assert report.opened == due == len(arrivals), (report, len(arrivals))
            rate = (due - 1) / (arrivals[-1] - arrivals[0]) / OVERALL_PER_SECOND
            return FanOut(rate, arrivals[-1] - started, local.emulator.flood_breaches,
                          most[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, nargs="+", default=[2000])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"fan-out of check-ins due at the same minute, limit {OVERALL_PER_SECOND}/s; "
          f"{args.runs} runs, min / median / max")
    for due in args.due:
        runs = [asyncio.run(fan_out(due)) for _ in range(args.runs)]
        print(f"{due:>6} due: rate {spread([r.rate for r in runs])} of the limit "
              f"(target >= 0.95); last first message after "
              f"{spread([r.last_after for r in runs], 1)} s (the limit allows "
              f"{due / OVERALL_PER_SECOND:.1f} s); breaches "
              f"{max(r.breaches for r in runs)} (target 0); at most "
              f"{max(r.under_way for r in runs)} under way at once", flush=True)


if __name__ == "__main__":
    main()
