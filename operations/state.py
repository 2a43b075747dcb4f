"""What operations keep while carebot runs (`Operations`), and what they are given of it
(`Running`: settings, database, clock and this state; no bot, no Telegram)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from carebot.operations.metrics import Metrics
from carebot.settings.clock import Clock
from carebot.settings.config import Config
from carebot.storage.db import Database
from carebot.storage.running_lock import RunningLock
from carebot.storage.sent_journal import SentJournal


class Endpoint(Protocol):
    """The health endpoint's web server (operations/health.py), as much as stopping it
    needs."""

    async def cleanup(self) -> None: ...


@dataclass
class Operations:
    # For /metrics and /healthz (operations/health.py): counters, when the periodic job was
    # last called (time.monotonic), and the web server answering them.
    metrics: Metrics = field(default_factory=Metrics)
    ticked_at: float = field(default_factory=time.monotonic)
    endpoint: Endpoint | None = None
    # Work started without waiting for it (a send-out, a backup), awaited on stopping;
    # once stopping, nothing more is started.
    background: set[asyncio.Task[int]] = field(default_factory=set)
    stopping: bool = False
    # The nightly backup (operations/nightly_backups.py): one at a time, and after a
    # failure not before its retry.
    backup_under_way: bool = False
    backup_retry_at: datetime | None = None
    # Where each message sent is noted for a restore (storage/sent_journal.py), if on;
    # whether noting has just failed (said once in the log, not once a message).
    sent_journal: SentJournal | None = None
    journal_failing: bool = False
    # The day retention last ran (operations/retention_job.py): once a day is enough.
    retention_done_on: date | None = None
    # Held while the bot runs, so that no second bot or restore uses the same database.
    running_lock: RunningLock | None = None


class Running(Protocol):
    """A running carebot, as operations see it."""

    config: Config
    db: Database
    clock: Clock
    ops: Operations
