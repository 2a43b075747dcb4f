"""Every fixture, defined once: a simulated clock, settings for a temporary database, the
running bot on the local emulator, a small world in it, and a bare emulator.

A test module may set `CLOCK_START` (when its clock starts) or `EMULATOR_WINDOW` (the
flood-limit window of its bare emulator) to change what these fixtures give it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from carebot.bot.flood import FloodLimits
from carebot.emulator import BotApiEmulator
from carebot.emulator.control import add_control_routes
from carebot.emulator.harness import LOCAL_TOKEN, LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage.db import Database, open_database
from tests.engines import (
    ON_POSTGRESQL,
    drop_made,
    fresh_database,
    recycle_used,
    server_problem,
)
from tests.helpers import World, small_world

# Telegram's flood limits, on a clock ten times faster: the same rules, shorter waits.
FAST_FLOOD_WINDOW = 0.1
EMULATOR_TOKEN = "42:TEST"

# Monday 16 November 2026, 08:00 in London (GMT, so 08:00 UTC).
START = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


def config_in(folder: Path) -> Config:
    # The JobQueue's own tick is slowed right down so that each test decides when
    # time-driven work happens (`local.tick()`); the job itself is still registered.
    # The read list's morning messages are left to the tests of the read list.
    return Config(database=fresh_database(folder), output_dir=folder / "out",
                  tick_seconds=3600, flood_window_seconds=FAST_FLOOD_WINDOW,
                  health_port=0, nightly_backup=False, read_reminders=False)


def pytest_configure(config: pytest.Config) -> None:
    """On PostgreSQL, a server that cannot be reached stops the run with one line: a
    failure in CI (where the server is part of the machine), a skip on a laptop."""
    if not ON_POSTGRESQL or (problem := server_problem()) is None:
        return
    if os.environ.get("CI"):
        pytest.exit(problem, returncode=1)
    pytest.exit(f"skipped: {problem}", returncode=0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if ON_POSTGRESQL:
        for item in items:
            if item.get_closest_marker("sqlite_only"):
                item.add_marker(pytest.mark.skip(reason="about SQLite only"))


@pytest.fixture(scope="session", autouse=True)
def schemas_dropped() -> Iterator[None]:
    yield
    drop_made()


@pytest.fixture(scope="module", autouse=True)
def schemas_recycled() -> Iterator[None]:
    """The schemas a module's tests used, emptied for the next module's (PostgreSQL)."""
    yield
    recycle_used()


@pytest.fixture(autouse=True)
def logging_as_it_was() -> Iterator[None]:
    """`carebot` commands run in the test process set up the root logger for a terminal
    (a handler on that test's captured stderr); put it back so that later tests do not
    log into a closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A real database (a SQLite file, or a PostgreSQL schema under `make test-postgres`),
    migrated, with no bot: for storage and report tests."""
    opened = await open_database(fresh_database(tmp_path))
    yield opened
    await opened.close()


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> SimulatedClock:
    return SimulatedClock(getattr(request.module, "CLOCK_START", START))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return config_in(tmp_path)


@pytest.fixture
async def local(config: Config, clock: SimulatedClock) -> AsyncIterator[LocalBot]:
    async with LocalBot(config, clock) as running:
        await running.settle()
        yield running


@pytest.fixture
async def world(local: LocalBot, clock: SimulatedClock) -> World:
    return await small_world(local.runtime.db, clock.now())


@dataclass
class SharedBot:
    """One running bot and world for a whole module, for long tables of cases."""

    local: LocalBot
    world: World


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared_bot(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SharedBot]:
    clock = SimulatedClock(getattr(request.module, "CLOCK_START", START))
    async with LocalBot(config_in(tmp_path_factory.mktemp("shared")), clock) as local:
        yield SharedBot(local, await small_world(local.runtime.db, clock.now()))


@pytest.fixture
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[BotApiEmulator]:
    """The emulator alone, enforcing flood limits, with its control routes."""
    window = getattr(request.module, "EMULATOR_WINDOW", 0.5)
    emu = BotApiEmulator(EMULATOR_TOKEN, enforce_flood_limits=True,
                         limits=FloodLimits(seconds=window))
    await emu.start(more_routes=lambda app: add_control_routes(app, emu))
    yield emu
    await emu.stop()


@pytest.fixture
async def emulator_for_a_process() -> AsyncIterator[BotApiEmulator]:
    """The emulator alone, for a bot run as its own process (`carebot run`): with the
    token that process is given, which looks like one from @BotFather."""
    emu = BotApiEmulator(LOCAL_TOKEN, allow_local_webhook=True)
    await emu.start()
    yield emu
    await emu.stop()
