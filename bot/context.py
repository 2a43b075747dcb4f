"""What every handler and job is given: settings, the database and the clock (`Runtime`),
reached as `context.runtime` through carebot's own `CallbackContext`."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext

from carebot.bot.telegram_bot import CarebotBot
from carebot.operations.state import Operations
from carebot.settings.clock import Clock
from carebot.settings.config import Config
from carebot.storage.db import Database

_KEY = "carebot.runtime"


@dataclass
class Ticks:
    """The periodic job's own state (bot/jobs.py)."""

    # One pass at a time, whoever starts it.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Failures in a row of each record the job works on ("schedule 12"), so that one that
    # keeps failing is set aside instead of being retried for ever.
    failures: Counter[str] = field(default_factory=Counter)


@dataclass
class SendOut:
    """The outbox sender's own state (bot/outbox_sender.py): one send-out at a time, and
    a caller who finds one running asks it to look again."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    requests: int = 0


@dataclass
class Runtime:
    """What the bot's handlers and jobs are given: settings, the database and the clock,
    and each subsystem's own state, so that each part reads only its own."""

    config: Config
    db: Database
    clock: Clock
    ops: Operations = field(default_factory=Operations)  # health, backups, stopping
    ticks: Ticks = field(default_factory=Ticks)
    send_out: SendOut = field(default_factory=SendOut)
    # Groups and channels already told that the bot only talks one to one.
    told_shared_chats: set[int] = field(default_factory=set)


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
