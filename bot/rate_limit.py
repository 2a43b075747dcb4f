"""Keeps the bot under Telegram's flood limits, and retries once Telegram says to wait.

PTB calls `process_request` for every Bot API call. Calls that put a new message in a chat
wait for room in two windows (overall, and that chat) before they go. A send counts from
the moment it starts until `seconds` after its answer came back: Telegram sees it at some
moment in between, so counting that way can never overshoot, whatever the network does,
while fan-out still runs at the limit rather than far below it.

It also measures how long a send-out's sends take, less the waits it imposes
(`timing`), so that the outbox sender keeps under way only what the rate needs
(`SendPace`, bot/flood.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from carebot.bot.flood import FloodLimits, SendPace, SendWindow, counts_against_limits

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass
class _Waits:
    seconds: float = 0.0


# The waits of the send being timed in this task, if one is (`FloodRateLimiter.timing`).
_waits_of_this_send: ContextVar[_Waits | None] = ContextVar("waits_of_this_send",
                                                            default=None)


class FloodRateLimiter(BaseRateLimiter[int]):
    def __init__(self, limits: FloodLimits | None = None, max_retries: int = 3) -> None:
        self.limits = limits or FloodLimits()
        self.max_retries = max_retries
        self._overall = SendWindow(self.limits.overall, self.limits.seconds)
        self._per_chat: dict[int | str, SendWindow] = {}
        self.waited_seconds = 0.0
        self.retries = 0
        self.pace = SendPace(self.limits.overall / self.limits.seconds)

    @contextmanager
    def timing(self) -> Iterator[None]:
        """Time the work inside (one outbox message: read, sent, recorded) for `pace`,
        less the waits for room and those Telegram asked for: those are the pace set by
        the limits, not time a send needs."""
        waits = _Waits()
        token = _waits_of_this_send.set(waits)
        started = time.monotonic()
        try:
            yield
        finally:
            _waits_of_this_send.reset(token)
            self.pace.note(max(time.monotonic() - started - waits.seconds, 0.0))

    @staticmethod
    async def _wait(seconds: float) -> None:
        """Sleep, noting how long (the loop may wake us late) against the send timed."""
        started = time.monotonic()
        try:
            await asyncio.sleep(seconds)
        finally:
            waits = _waits_of_this_send.get()
            if waits is not None:
                waits.seconds += time.monotonic() - started

    def chat_wait(self, chat_id: int | str) -> float:
        """Seconds until a new message to `chat_id` has room in that chat's window (0:
        now), so that the outbox sender can send to other chats meanwhile."""
        window = self._per_chat.get(chat_id)
        return 0.0 if window is None else window.wait_needed(time.monotonic())

    async def initialize(self) -> None:
        """A new process cannot know what the last one sent in its last moments (it may
        have been killed mid send-out), so it counts the window as full: its first send
        waits one window, and Telegram's limit holds across a restart."""
        now = time.monotonic()
        for _ in range(self.limits.overall):
            self._overall.record(now)

    async def shutdown(self) -> None:
        return None

    async def _begin(self, chat_id: int | str) -> SendWindow:
        per_chat = self._per_chat.get(chat_id)
        if per_chat is None:
            per_chat = self._per_chat[chat_id] = SendWindow(self.limits.per_chat,
                                                            self.limits.seconds)
        while True:
            now = time.monotonic()
            wait = max(self._overall.wait_needed(now), per_chat.wait_needed(now))
            if wait <= 0:
                self._overall.begin()
                per_chat.begin()
                return per_chat
            self.waited_seconds += wait
            await self._wait(wait)

    def _end(self, chat_id: int | str, per_chat: SendWindow) -> None:
        now = time.monotonic()
        self._overall.end(now)
        per_chat.end(now)
        if len(self._per_chat) > 10_000:  # forget chats with nothing in their window
            for key in [k for k, w in self._per_chat.items()
                        if w.wait_needed(now) == 0 and w.idle]:
                del self._per_chat[key]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        chat_id = data.get("chat_id")
        limited = counts_against_limits(endpoint) and chat_id is not None
        retries = rate_limit_args if rate_limit_args is not None else self.max_retries
        for attempt in range(retries + 1):
            window = await self._begin(chat_id) if limited and chat_id is not None else None
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                told = exc
            finally:
                if window is not None and chat_id is not None:
                    self._end(chat_id, window)
            if attempt == retries:
                raise told
            await self._wait_as_told(told, endpoint)
        raise AssertionError("unreachable")

    async def _wait_as_told(self, exc: RetryAfter, endpoint: str) -> None:
        self.retries += 1
        pause = exc.retry_after
        seconds = pause if isinstance(pause, int) else pause.total_seconds()
        log.warning("Telegram asked us to wait %ss before %s", seconds, endpoint)
        await self._wait(seconds)
