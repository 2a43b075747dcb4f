"""The Bot carebot talks to Telegram with: PTB's ExtBot, made so that a network fault does
not lose a reply and one update PTB cannot read never stalls everyone.

A call that puts something in front of a person (a message, an edit, a tap's answer) and
fails on the network (5xx, a timeout, a dropped connection) is tried again, a few times,
after short waits; Telegram's "wait" answers are the rate limiter's to handle, and a call
Telegram refuses (400, 403) is not tried again. A call whose answer was lost after it took
effect can then show twice: that is the price of not losing it.

PTB reads a whole batch of updates at once, so one it cannot parse (say a new kind of
message) would fail the batch, the offset would never move, and the same batch would be
fetched for ever while nobody got an answer. Here each update
is checked on its own; one that cannot be read is logged by its id (never its content) and
handed on empty, so the offset moves past it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

TRIED_AGAIN = frozenset({"sendMessage", "sendDocument", "editMessageText",
                         "editMessageReplyMarkup", "answerCallbackQuery", "setMyCommands"})
WAITS = (0.5, 1.0, 2.0)  # seconds before each further try


class CarebotBot(ExtBot[int]):
    async def _do_post(self, endpoint: str, data: Any, **kwargs: Any) -> Any:
        if endpoint not in TRIED_AGAIN:
            return await super()._do_post(endpoint, data, **kwargs)
        for wait in WAITS:
            try:
                return await super()._do_post(endpoint, data, **kwargs)
            except NetworkError as error:
                if isinstance(error, BadRequest):
                    raise
                log.info("%s failed on the network (%s); trying again in %ss", endpoint,
                            type(error).__name__, wait)
            await asyncio.sleep(wait)
        return await super()._do_post(endpoint, data, **kwargs)

    async def _post(self, endpoint: str, data: Any = None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            return [self._readable(raw) for raw in result]
        return result

    def _readable(self, raw: dict[str, Any]) -> dict[str, Any]:
        try:
            Update.de_json(raw, self)
        except Exception as error:
            log.error("update %s could not be read (%s); skipped", raw.get("update_id"),
                      type(error).__name__)
            return {"update_id": raw["update_id"]}
        return raw
