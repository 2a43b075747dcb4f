"""Fixtures: a simulated clock, settings for a temporary database, and the running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from emulator.harness import LocalBot
from settings.clock import SimulatedClock
from settings.config import Config
from tests.helpers import World, small_world

# Telegram's flood limits, on a clock ten times faster: the same rules, shorter waits.
FAST_FLOOD_WINDOW = 0.1

# Monday 16 November 2026, 08:00 in London (GMT, so 08:00 UTC).
START = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    # The JobQueue's own tick is slowed right down so that each test decides when
    # time-driven work happens (`local.tick()`); the job itself is still registered.
    return Config(database=tmp_path / "carebot.sqlite3", output_dir=tmp_path / "out",
                  tick_seconds=3600, flood_window_seconds=FAST_FLOOD_WINDOW)


@pytest.fixture
async def local(config: Config, clock: SimulatedClock) -> AsyncIterator[LocalBot]:
    async with LocalBot(config, clock) as running:
        await running.settle()
        yield running


@pytest.fixture
async def world(local: LocalBot, clock: SimulatedClock) -> World:
    return await small_world(local.runtime.db, clock.now())
