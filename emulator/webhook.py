"""Webhook delivery, as Telegram does it: once setWebhook names a URL, each update is
POSTed there as JSON with the secret token in `X-Telegram-Bot-Api-Secret-Token`, in
order, and taken off the queue only when the bot answers 2xx; a failure is tried again
after a short wait. Meanwhile getUpdates is refused (409), as Telegram refuses it."""

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
RETRY_SECONDS = 0.2


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    delivered: int = 0
    failures: list[str] = field(default_factory=list)  # the last errors, for tests


class WebhookSender:
    """Delivers `next_update()` to the webhook until stopped; `delivered(update)` takes
    an update off the queue once the bot has answered 2xx."""

    def __init__(self, webhook: Webhook, next_update: Callable[[], dict[str, Any] | None],
                 delivered: Callable[[dict[str, Any]], None], wake: asyncio.Event) -> None:
        self.webhook = webhook
        self._next, self._delivered, self._wake = next_update, delivered, wake
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        headers = ({SECRET_HEADER: self.webhook.secret_token}
                   if self.webhook.secret_token else {})
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as web:
            while True:
                update = self._next()
                if update is None:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                if await self._post(web, update, headers):
                    self.webhook.delivered += 1
                    self._delivered(update)
                else:
                    await asyncio.sleep(RETRY_SECONDS)

    async def _post(self, web: aiohttp.ClientSession, update: dict[str, Any],
                    headers: dict[str, str]) -> bool:
        try:
            async with web.post(self.webhook.url, json=update, headers=headers) as answer:
                if 200 <= answer.status < 300:
                    return True
                self._failed(f"HTTP {answer.status}")
        except (aiohttp.ClientError, TimeoutError) as error:
            self._failed(type(error).__name__)
        return False

    def _failed(self, why: str) -> None:
        self.webhook.failures = [*self.webhook.failures[-9:], why]
        log.debug("webhook delivery to %s failed: %s", self.webhook.url, why)
