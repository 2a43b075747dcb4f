"""How long the periodic job's idle tick takes with a year of history, against the same
council with none, in the same run.

    .venv/bin/python bench/tick.py [--people 30000] [--services 150] [--weeks 52]

The council-year database from `bench/council.py` and the same council enrolled with no
history (built first if they are not there, in their own processes) are each copied, and
the real bot is started on the copy against the local emulator, at 01:00 on the Monday the
history ends: nobody's check-in is due, this week's digests are marked made, and warm-up
ticks do whatever else was due (alerts left open go up their chain). Then the idle tick is
timed: each run is the mean of TICKS ticks, 20 seconds apart on the bot's clock; three
runs, min / median / max, with history beside without. Target: <= 2x.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from council import Size, history_ends, ready, size_from_arguments
from measure import ratio, spread, timed
from processes import digests_marked_made

from carebot.bot.jobs import run_tick
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config

TICKS = 20
WARM_UP = 10


async def idle_ticks(path: Path, size: Size) -> tuple[list[float], int]:
    """Seconds per idle tick (three runs), and how many ticks the warm-up took."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "council.sqlite3"
        shutil.copyfile(path, copy)
        clock = SimulatedClock(history_ends(size) + timedelta(hours=1))
        config = Config(database=copy, output_dir=Path(folder) / "out", tick_seconds=3600,
                        health_port=0, nightly_backup=False)
        async with LocalBot(config, clock, enforce_flood_limits=False) as local:
            rt = local.runtime
            await digests_marked_made(rt.db, config, clock.now())
            warm_up = 0
            while warm_up < WARM_UP and any(vars(await local.tick()).values()):
                warm_up += 1

            async def ticks() -> None:
                for _ in range(TICKS):
                    clock.advance(timedelta(seconds=20))
                    report = await run_tick(local.app.bot, rt)
                    assert not any(vars(report).values()), report

            times = await timed(ticks)
        return [t / TICKS for t in times], warm_up


def main() -> None:
    size = size_from_arguments(__doc__.splitlines()[0])
    # Alerts left open are chased at the start, to duty contacts the emulator does not
    # know: Telegram's refusals would fill the screen.
    logging.disable(logging.ERROR)
    empty = Size(size.people, size.services, size.weeks, history=False)
    started = time.perf_counter()
    year, none = ready(size), ready(empty)
    print(f"idle tick, {size.people:,} people, {size.services} services: {size.weeks} weeks "
          f"of history ({year.stat().st_size / 2**20:.0f} MiB) against none "
          f"({none.stat().st_size / 2**20:.0f} MiB); seconds per tick, mean of {TICKS}, "
          "3 runs", flush=True)
    base, _ = asyncio.run(idle_ticks(none, empty))
    times, warm_up = asyncio.run(idle_ticks(year, size))
    print(f"{'':<14} {'min':>7} {'median':>7} {'max':>7}")
    print(f"{'no history':<14} {spread(base, 4)}")
    print(f"{'year':<14} {spread(times, 4)}   ratio {ratio(times, base):.2f}x "
          f"(target <= 2x; passes before the timing that did what was due: {warm_up + 1})")
    print(f"({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
