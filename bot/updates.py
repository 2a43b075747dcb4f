"""Updates run side by side across chats but one at a time within a chat, so a slow send
to one person never holds up another, and one person's taps are taken in order. Each is
marked handled once its handler has finished (bot/inbox.py says why).

The parts of an album or of a long paste come as updates of their own; the first waits
for the rest and they are handled as one message (bot/gathering.py says how). The rest
wait behind it for the chat, and when their turn comes they are done already: they were
marked handled with the first, all at once, so that a crash leaves all of them to be
handled again together, or none."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from carebot.bot import gathering
from carebot.bot.inbox import DurableUpdateQueue, handling
from carebot.bot.log_context import HANDLING
from carebot.operations.metrics import Metrics

# The Application's own handling of an update (`Application.process_update`).
Process = Callable[[object], Awaitable[None]]


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, metrics: Metrics, inbox: DurableUpdateQueue, process: Process,
                 max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._metrics = metrics
        self._inbox = inbox
        self._process = process  # for one message made of several parts
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        self._arrivals = gathering.Arrivals()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(update, Update):  # its log lines say which update and chat
            HANDLING.set((update.update_id, None if chat is None else chat.id))
        self._metrics.updates.inc()
        if chat is None or not isinstance(update, Update):
            await self._handle(update, coroutine)
            return
        arrival = self._arrivals.came(chat.id, update)
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                if arrival.taken:  # a part handled with the first, and marked so
                    _close(coroutine)
                    return
                parts = await self._arrivals.parts(chat.id, arrival)
                if len(parts) > 1:
                    _close(coroutine)
                    coroutine = self._process(gathering.merged(parts))
                await self._handle(update, coroutine, parts)
        finally:
            self._arrivals.gone(chat.id, arrival)
            self._users[chat.id] -= 1
            if self._users[chat.id] == 0:
                del self._users[chat.id]
                del self._locks[chat.id]

    async def _handle(self, update: object, coroutine: Awaitable[Any],
                      parts: Sequence[Update] = ()) -> None:
        """Run the handlers, then mark the update (and every part of its message)
        handled. Messages sent meanwhile are keyed on the (first part's) update id."""
        if not isinstance(update, Update):
            await coroutine
            return
        with handling(update.update_id):
            await coroutine  # PTB's error handler has already taken any error in a handler
        await self._inbox.handled(*(part.update_id for part in parts or [update]))

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _close(coroutine: Awaitable[Any]) -> None:
    """Let go of a handling that will not run (its update is handled in another's)."""
    if inspect.iscoroutine(coroutine):
        coroutine.close()
