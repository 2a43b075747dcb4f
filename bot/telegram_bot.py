"""The Bot carebot talks to Telegram with: PTB's ExtBot, made so that one update PTB
cannot read never stalls everyone. PTB reads a whole batch of updates at once, so one it
cannot parse (say a new kind of message) would fail the batch, the offset would never move,
and the same batch would be fetched for ever while nobody got an answer. Here each update
is checked on its own; one that cannot be read is logged by its id (never its content) and
handed on empty, so the offset moves past it."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

log = logging.getLogger(__name__)


class CarebotBot(ExtBot[int]):
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
