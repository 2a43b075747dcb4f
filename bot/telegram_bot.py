"""The Bot carebot talks to Telegram with: PTB's ExtBot, made so that a network fault does
not lose a reply and one update PTB cannot read never stalls everyone.

A call that puts something in front of a person (a message, an edit, a tap's answer) and
fails on the network (5xx, a timeout, a dropped connection) is tried again, a few times,
after short waits; Telegram's "wait" answers are the rate limiter's to handle, and a call
Telegram refuses (400, 403) is not tried again. A call whose answer was lost after it took
effect can then show twice: that is the price of not losing it.

PTB reads a whole batch of updates at once, so one it cannot parse (say a new kind of
message) would fail the batch, the offset would never move, and the same batch would be
fetched for ever while nobody got an answer. Here a batch that fails is fetched again
(the offset has not moved, so it is the same batch) with each update checked on its own;
one that cannot be read is logged by its id (never its content) and handed on empty, so
the offset moves past it. Batches that read well are read once (issue 14: every update
had been read twice)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, NetworkError, TelegramError
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

TRIED_AGAIN = frozenset({"sendMessage", "sendDocument", "editMessageText",
                         "editMessageReplyMarkup", "answerCallbackQuery", "setMyCommands"})
WAITS = (0.5, 1.0, 2.0)  # seconds before each further try
CONFLICT_LOG_SECONDS = 60.0
# The kinds of update carebot asks Telegram for, named at every start: Telegram otherwise
# keeps the list last given for this token (perhaps by another program that used it),
# which might leave out blocks and unblocks (my_chat_member); nothing else is fetched.
UPDATES_WANTED = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY,
                  Update.MY_CHAT_MEMBER, Update.CHANNEL_POST, Update.EDITED_CHANNEL_POST)


class _UnreadBatch(logging.Filter):
    """PTB logs a batch it cannot read with the updates in full (people's words): that
    line is dropped, as CarebotBot logs each unreadable update by its id instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error while parsing updates")


class _ConflictTraceback(logging.Filter):
    """PTB's updater logs each poll Telegram answers "Conflict" with a traceback, every
    few seconds for as long as two programs poll: CarebotBot says it plainly instead,
    once a minute."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, Conflict)


class CarebotBot(ExtBot[int]):
    _check_each = False  # set while a batch that failed is fetched again

    def __init__(self, *args: Any, on_conflict: Callable[[], None] | None = None,
                 **kwargs: Any) -> None:
        """`on_conflict` is called each time Telegram answers a long poll "Conflict"
        (for /metrics and /healthz)."""
        super().__init__(*args, **kwargs)
        self._on_conflict = on_conflict
        self._conflict_logged_at: float | None = None
        if not any(isinstance(f, _UnreadBatch) for f in self._LOGGER.filters):
            self._LOGGER.addFilter(_UnreadBatch())
        updater_log = logging.getLogger("telegram.ext.Updater")
        if not any(isinstance(f, _ConflictTraceback) for f in updater_log.filters):
            updater_log.addFilter(_ConflictTraceback())

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            return await super().get_updates(*args, **kwargs)
        except Conflict:
            self._conflict()
            raise
        except TelegramError:
            raise
        except Exception:  # one update of the batch cannot be read
            self._check_each = True
            try:
                return await super().get_updates(*args, **kwargs)
            finally:
                self._check_each = False

    def _conflict(self) -> None:
        """Two programs polling with one token each get some of its updates, so each
        keeps only part of what people said: said plainly, once a minute at most."""
        now = time.monotonic()
        last = self._conflict_logged_at
        if last is None or now - last > CONFLICT_LOG_SECONDS:
            self._conflict_logged_at = now
            log.error("another program is taking this bot's updates (Telegram answered "
                      "409 Conflict): only one carebot may run with a token. Stop the "
                      "other one, or give it a token of its own")
        if self._on_conflict is not None:
            self._on_conflict()

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

    async def send_words(self, chat_id: int, words: str,
                         buttons: InlineKeyboardMarkup | None = None) -> int:
        """sendMessage, reading only the new message's id from Telegram's answer: PTB's
        send_message builds a whole Message (with every button) from it, on every answer
        in a check-in (issue 14)."""
        result = await self._post("sendMessage", {"chat_id": chat_id, "text": words,
                                                  "reply_markup": buttons})
        return int(result["message_id"])

    async def show_words(self, chat_id: int, message_id: int, words: str) -> None:
        """editMessageText (its buttons go), with Telegram's answer left unread."""
        await self._post("editMessageText", {"chat_id": chat_id, "message_id": message_id,
                                             "text": words})

    async def _post(self, endpoint: str, data: Any = None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint == "getUpdates" and self._check_each and isinstance(result, list):
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
