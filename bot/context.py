"""What every handler and job needs: settings, the database and the clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import CallbackContext

from settings.clock import Clock
from settings.config import Config
from storage.db import Database

_KEY = "carebot.runtime"


@dataclass(frozen=True)
class Runtime:
    config: Config
    db: Database
    clock: Clock
    # One pass of the periodic job at a time, whoever starts it.
    tick_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def install(bot_data: dict[Any, Any], runtime: Runtime) -> None:
    bot_data[_KEY] = runtime


def runtime_in(bot_data: dict[Any, Any]) -> Runtime:
    found = bot_data[_KEY]
    assert isinstance(found, Runtime)
    return found


def runtime_of(context: CallbackContext[Any, Any, Any, Any]) -> Runtime:
    return runtime_in(context.bot_data)
