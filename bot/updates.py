"""Updates run side by side across chats but one at a time within a chat, so a slow send
to one person never holds up another, and one person's taps are taken in order. Each is
marked handled once its handler has finished (bot/inbox.py says why)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.inbox import DurableUpdateQueue, handling
from bot.log_context import HANDLING
from bot.metrics import Metrics


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, metrics: Metrics, inbox: DurableUpdateQueue,
                 max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._metrics = metrics
        self._inbox = inbox
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(update, Update):  # its log lines say which update and chat
            HANDLING.set((update.update_id, None if chat is None else chat.id))
        self._metrics.updates.inc()
        if chat is None:
            await self._handle(update, coroutine)
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                await self._handle(update, coroutine)
        finally:
            self._users[chat.id] -= 1
            if self._users[chat.id] == 0:
                del self._users[chat.id]
                del self._locks[chat.id]

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            await coroutine
            return
        with handling(update.update_id):
            await coroutine  # PTB's error handler has already taken any error in a handler
        await self._inbox.handled(update.update_id)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
