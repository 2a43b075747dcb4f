"""A bot in its own process against the local emulator in this one, as in production
(Telegram is another machine): carebot's `carebot run` on a quiet copy of the council
database, or a bare python-telegram-bot echo bot as the baseline."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

from carebot.emulator.harness import LOCAL_TOKEN
from carebot.emulator.server import BotApiEmulator
from carebot.reports.weekly import digests_due
from carebot.settings.clock import SystemClock
from carebot.settings.config import Config
from carebot.storage import reporting
from carebot.storage.db import Database, open_database, to_db_time

HERE = Path(__file__).parent
ECHO_BOT = HERE / "echo_bot.py"
CAREBOT = Path(sys.executable).with_name("carebot")


async def quiet_copy(source: Path, folder: Path) -> Path:
    """A copy of a council database with nothing due now: next check-ins a week away,
    alerts acted on, this week's digests made. What is measured is then the bot itself,
    not a send-out or a digest it owes."""
    copy = folder / "carebot.sqlite3"
    shutil.copyfile(source, copy)
    now = SystemClock().now()
    db = await open_database(copy)  # brings its schema up to date, as `carebot run` would
    try:
        async with db.transaction() as tx:
            await tx.execute("UPDATE schedules SET next_due_at = ?",
                             (to_db_time(now + timedelta(days=7)),))
            await tx.execute("UPDATE alerts SET acknowledged_at = created_at "
                             "WHERE acknowledged_at IS NULL")
        await digests_marked_made(db, Config(), now)
    finally:
        await db.close()
    return copy


async def digests_marked_made(db: Database, config: Config, now: datetime) -> None:
    """This week's digests count as made: an idle bot is one with none to make."""
    for reader, (start, end) in await digests_due(db, config, now):
        await reporting.record_digest(db, commissioner_id=reader.id, start=start, end=end,
                                      html_path="", csv_path="", now=now)


@asynccontextmanager
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """The local Bot API with flood limits counted but not enforced: the figures are
    what the bot can do, not what Telegram lets it."""
    running = BotApiEmulator(LOCAL_TOKEN, enforce_flood_limits=False)
    await running.start()
    try:
        yield running
    finally:
        running.release_long_polls()
        await running.stop()


async def called(api: BotApiEmulator, method: str, timeout: float = 60) -> None:
    """Wait until the bot has called `method` (a call alone does not wake `wait_until`)."""
    for _ in range(int(timeout / 0.01)):
        if api.calls[method]:
            return
        await asyncio.sleep(0.01)
    raise RuntimeError(f"the bot did not call {method} in {timeout} s")


@asynccontextmanager
async def bot_process(api: BotApiEmulator, command: list[str],
                      env: dict[str, str] | None = None) -> AsyncIterator[int]:
    """Run `command` until the block ends; yields its process id once it is polling."""
    process = await asyncio.create_subprocess_exec(
        *command, env={**os.environ, "CAREBOT_TOKEN": LOCAL_TOKEN,
                       "CAREBOT_BASE_URL": api.base_url, **(env or {})},
        stdout=subprocess.DEVNULL)
    try:
        await called(api, "getUpdates")
        yield process.pid
    finally:
        process.terminate()
        while process.returncode is None:  # its long poll returns at once, not in 10 s
            api.release_long_polls()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 0.05)


def carebot_run(database: Path, folder: Path) -> tuple[list[str], dict[str, str]]:
    """`carebot run` on `database`, writing its reports into `folder`."""
    return [str(CAREBOT), "run"], {"CAREBOT_DATABASE": str(database),
                                   "CAREBOT_OUTPUT_DIR": str(folder / "out"),
                                   # Telegram's limits set aside (see emulator()).
                                   "CAREBOT_FLOOD_WINDOW_SECONDS": "0.001"}


def echo_bot() -> list[str]:
    return [sys.executable, str(ECHO_BOT)]


def resident_mb(pid: int) -> float:
    """The process's resident memory now (VmRSS), in MB (10^6 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """CPU time the process has used so far (user and system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def libraries_loaded(pid: int, names: tuple[str, ...]) -> list[str]:
    """Which of `names` (e.g. "scipy") have files mapped into the process."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return [name for name in names if f"/{name}/" in maps]
