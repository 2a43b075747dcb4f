"""Keeps the bot under Telegram's flood limits, and retries once Telegram says to wait.

PTB calls `process_request` for every Bot API call. Calls that put a new message in a chat
wait for room in two sliding windows (overall and that chat) before they go, so fan-out
runs at the limit rather than far below it, and never over it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.flood import FloodLimits, SlidingWindow, counts_against_limits

log = logging.getLogger(__name__)

# Send a little under the limit: Telegram measures arrival, we measure departure.
SAFETY_MARGIN = 0.05

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class FloodRateLimiter(BaseRateLimiter[int]):
    def __init__(self, limits: FloodLimits | None = None, max_retries: int = 3) -> None:
        self.limits = limits or FloodLimits()
        self.max_retries = max_retries
        window = self.limits.seconds * (1 + SAFETY_MARGIN)
        self._window = window
        self._overall = SlidingWindow(self.limits.overall, window)
        self._per_chat: dict[int | str, SlidingWindow] = {}
        self.waited_seconds = 0.0
        self.retries = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def _reserve(self, chat_id: int | str) -> None:
        per_chat = self._per_chat.get(chat_id)
        if per_chat is None:
            per_chat = self._per_chat[chat_id] = SlidingWindow(self.limits.per_chat, self._window)
        while True:
            now = time.monotonic()
            wait = max(self._overall.wait_needed(now), per_chat.wait_needed(now))
            if wait <= 0:
                self._overall.record(now)
                per_chat.record(now)
                return
            self.waited_seconds += wait
            await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        limited = counts_against_limits(endpoint) and data.get("chat_id") is not None
        retries = rate_limit_args if rate_limit_args is not None else self.max_retries
        for attempt in range(retries + 1):
            if limited:
                await self._reserve(data["chat_id"])
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                self.retries += 1
                pause = exc.retry_after
                seconds = pause if isinstance(pause, int) else pause.total_seconds()
                log.warning("Telegram asked us to wait %ss before %s", seconds, endpoint)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")
