"""Updates run side by side across chats but one at a time within a chat, so a slow send
to one person never holds up another, and one person's taps are taken in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.log_context import HANDLING
from bot.metrics import Metrics


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, metrics: Metrics, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._metrics = metrics
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(update, Update):  # its log lines say which update and chat
            HANDLING.set((update.update_id, None if chat is None else chat.id))
        self._metrics.updates.inc()
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat.id] -= 1
            if self._users[chat.id] == 0:
                del self._users[chat.id]
                del self._locks[chat.id]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
