"""Webhook delivery, as Telegram does it: once setWebhook names a URL, each update is
POSTed there as JSON with the secret token in `X-Telegram-Bot-Api-Secret-Token`, and taken
off the queue only when the bot answers 2xx. Meanwhile getUpdates is refused (409), as
Telegram refuses it.

Updates from different chats go in parallel (at most `max_connections` at once); one
chat's go one at a time, in order. A failed update is tried again after a wait that
doubles each time (`WebhookRetry`), and is given up, as Telegram gives up, once it is 24
hours old by the emulator's clock or, if `max_attempts` is set, after that many tries;
later updates of that chat then go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_SECONDS = 0.2  # the first wait after a failure
MAX_RETRY_SECONDS = 10.0  # waits double up to this

Update = dict[str, Any]


@dataclass(frozen=True)
class WebhookRetry:
    """How a failed delivery is tried again: after `first` seconds, doubling up to
    `most`; given up after `max_attempts` tries if set (always once 24 hours old)."""

    first: float = RETRY_SECONDS
    most: float = MAX_RETRY_SECONDS
    max_attempts: int | None = None


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    max_connections: int = 40
    delivered: int = 0
    given_up: int = 0
    attempts: int = 0  # every POST, answered or not
    failures: list[str] = field(default_factory=list)  # the last errors, for tests
    last_error_date: int | None = None


@dataclass(frozen=True)
class WebhookQueue:
    """What the sender needs of the emulator's update queue."""

    pending: Callable[[], list[Update]]  # in order, none expired
    delivered: Callable[[Update], None]  # the bot answered 2xx
    stale: Callable[[Update], bool]  # past Telegram's 24 hours, or no longer held
    give_up: Callable[[Update], None]  # dropped undelivered
    clock: Callable[[], float]  # the emulator's, for last_error_date


def lane_of(update: Update) -> str:
    """Which chat (or, failing that, which user) an update belongs to: its lane, whose
    updates are delivered one at a time in order."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        message = value.get("message")
        chat = value.get("chat") or (message.get("chat") if isinstance(message, dict)
                                     else None)
        if isinstance(chat, dict) and "id" in chat:
            return f"chat {chat['id']}"
        user = value.get("from") or value.get("user")
        if isinstance(user, dict) and "id" in user:
            return f"user {user['id']}"
    return "other"


class WebhookSender:
    """Delivers the queue's updates to the webhook until stopped."""

    def __init__(self, webhook: Webhook, queue: WebhookQueue, *, retry: WebhookRetry,
                 wake: asyncio.Event) -> None:
        self.webhook = webhook
        self._queue, self._retry, self._wake = queue, retry, wake
        self._slots = asyncio.Semaphore(webhook.max_connections)
        self._lanes: dict[str, asyncio.Task[None]] = {}  # lane: its delivery under way
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        tasks = [self._task, *self._lanes.values()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        headers = ({SECRET_HEADER: self.webhook.secret_token}
                   if self.webhook.secret_token else {})
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as web:
            while True:
                self._wake.clear()
                for update in list(self._queue.pending()):
                    lane = lane_of(update)
                    if lane not in self._lanes:  # the first waiting in its lane
                        self._lanes[lane] = asyncio.create_task(
                            self._deliver(web, update, headers, lane))
                await self._wake.wait()

    async def _deliver(self, web: aiohttp.ClientSession, update: Update,
                       headers: dict[str, str], lane: str) -> None:
        """POST one update until the bot takes it or Telegram would give up on it."""
        try:
            wait, tries = self._retry.first, 0
            while True:
                if tries:
                    await asyncio.sleep(wait)
                    wait = min(wait * 2, self._retry.most)
                if self._queue.stale(update) or tries == self._retry.max_attempts:
                    break
                async with self._slots:
                    taken = await self._post(web, update, headers)
                tries += 1
                if taken:
                    self.webhook.delivered += 1
                    self._queue.delivered(update)
                    return
            self.webhook.given_up += 1
            log.info("webhook gave up update %s after %s tries", update.get("update_id"),
                     tries)
            self._queue.give_up(update)
        finally:
            del self._lanes[lane]
            self._wake.set()

    async def _post(self, web: aiohttp.ClientSession, update: Update,
                    headers: dict[str, str]) -> bool:
        self.webhook.attempts += 1
        try:
            async with web.post(self.webhook.url, json=update, headers=headers) as answer:
                if 200 <= answer.status < 300:
                    return True
                self._failed(f"Wrong response from the webhook: {answer.status} "
                             f"{answer.reason}")
        except (aiohttp.ClientError, TimeoutError) as error:
            self._failed(f"Connection failed: {type(error).__name__}")
        return False

    def _failed(self, why: str) -> None:
        self.webhook.failures = [*self.webhook.failures[-9:], why]
        self.webhook.last_error_date = int(self._queue.clock())
        log.debug("webhook delivery to %s failed: %s", self.webhook.url, why)
