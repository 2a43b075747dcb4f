"""What every handler and job is given: settings, the database and the clock (`Runtime`),
reached as `context.runtime` through carebot's own `CallbackContext`."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext

from carebot.bot.metrics import Metrics
from carebot.bot.telegram_bot import CarebotBot
from carebot.settings.clock import Clock
from carebot.settings.config import Config
from carebot.storage.db import Database
from carebot.storage.running_lock import RunningLock
from carebot.storage.sent_journal import SentJournal

_KEY = "carebot.runtime"


class Endpoint(Protocol):
    """The health endpoint's web server (bot/health.py), as much as stopping it needs."""

    async def cleanup(self) -> None: ...


@dataclass
class Runtime:
    config: Config
    db: Database
    clock: Clock
    # One pass of the periodic job at a time, whoever starts it.
    tick_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Failures in a row of each record the periodic job works on ("schedule 12"), so that
    # one that keeps failing is set aside instead of being retried for ever.
    failures: Counter[str] = field(default_factory=Counter)
    # One send-out at a time: a caller who finds one running asks it to look again.
    sending: asyncio.Lock = field(default_factory=asyncio.Lock)
    send_requests: int = 0
    # Send-outs started without waiting for them (`send_soon`), awaited on stopping; once
    # stopping, nothing more is claimed.
    background: set[asyncio.Task[int]] = field(default_factory=set)
    stopping: bool = False
    # Groups and channels already told that the bot only talks one to one.
    told_shared_chats: set[int] = field(default_factory=set)
    # For /metrics and /healthz (bot/health.py): counters, when the periodic job was last
    # called (time.monotonic), and the web server answering them.
    metrics: Metrics = field(default_factory=Metrics)
    ticked_at: float = field(default_factory=time.monotonic)
    endpoint: Endpoint | None = None
    # The nightly backup (bot/backups.py): one at a time, and after a failure not before.
    backup_under_way: bool = False
    backup_retry_at: datetime | None = None
    # Where each message sent is noted for a restore (storage/sent_journal.py), if on;
    # whether noting has just failed (said once in the log, not once a message).
    sent_journal: SentJournal | None = None
    journal_failing: bool = False
    # The day retention last ran (bot/retention_job.py): once a day is enough.
    retention_done_on: date | None = None
    # Held while the bot runs, so that no second bot or restore uses the same database.
    running_lock: RunningLock | None = None


class Context(CallbackContext[CarebotBot, dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context, plus the runtime that `build_application`'s start-up hook put in
    `bot_data`."""

    @property
    def runtime(self) -> Runtime:
        return runtime_in(self.bot_data)


CarebotApplication = Application[CarebotBot, Context, dict[Any, Any], dict[Any, Any],
                                 dict[Any, Any], Any]


def install(bot_data: dict[Any, Any], runtime: Runtime) -> None:
    bot_data[_KEY] = runtime


def runtime_if_any(bot_data: dict[Any, Any]) -> Runtime | None:
    """The runtime, or None before the start-up hook has made one (or when it failed)."""
    return runtime_in(bot_data) if _KEY in bot_data else None


def runtime_in(bot_data: dict[Any, Any]) -> Runtime:
    found = bot_data[_KEY]
    assert isinstance(found, Runtime)
    return found
