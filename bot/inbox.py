"""Every update handled once, crash or not, by long polling or by webhook (issue 26).

PTB hands each update it receives to `Application.update_queue`, and only then tells
Telegram it arrived (the next getUpdates moves the offset past it; the webhook answers
200). `DurableUpdateQueue` is that queue: its `put` writes the update to the database
first, so a crash after Telegram let go of it cannot lose it, and drops one received
before, so Telegram's repeat of an update the bot already took is not handled twice.
`PerChatUpdateProcessor` marks each handled once its handler has finished; on start,
the ones a crash interrupted are handled again (`replay`), oldest first, through the
same processor, which gathers an album's or a paste's parts into one message again. One
that keeps failing is set aside after `MOST_STARTS`, so it cannot stop the bot from
starting.

If the database cannot keep an update (a full disk, a broken file), it is handled all
the same: the handler fails on the same database and tells the person so, which is
better than a bot that goes silent for everyone until the disk is mended.

An update handled again must not say or do twice what its first handling did before the
crash: what it writes is keyed on the person's message (an issue, an answer, an alert,
tags), and each message it sends carries a key made from the update and the message
(`once_key`), so the outbox takes it once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from telegram import Bot, Update

from carebot.settings.clock import Clock
from carebot.storage import updates_received
from carebot.storage.db import Database
from carebot.storage.outbox import NewMessage

log = logging.getLogger(__name__)

MOST_STARTS = 3  # an update whose handling stopped the bot this often is set aside


def readable(raw: dict[str, Any], bot: Bot) -> Update | None:
    """The update in `raw`, or None if PTB cannot read it or it holds nothing we know
    (logged by its id alone: its contents are people's words)."""
    try:
        update = Update.de_json(raw, bot)
    except Exception as error:
        log.error("update %s could not be read (%s); set aside", raw.get("update_id"),
                  type(error).__name__)
        return None
    return update if update.to_dict().keys() - {"update_id"} else None


@dataclass
class _Handling:
    update_id: int
    sent: Counter[str] = field(default_factory=Counter)


_HANDLING: ContextVar[_Handling | None] = ContextVar("carebot_handling", default=None)


@contextmanager
def handling(update_id: int) -> Iterator[None]:
    """Around an update's handlers: messages sent meanwhile get `once_key`s."""
    token = _HANDLING.set(_Handling(update_id))
    try:
        yield
    finally:
        _HANDLING.reset(token)


def with_once_key(message: NewMessage) -> NewMessage:
    """`message` with a key that is the same when the update is handled again after a
    crash: the update's id, what the message says and to whom, and how many such
    messages came before it in this handling. Unchanged outside an update's handling, or
    when it has a key of its own."""
    current = _HANDLING.get()
    if current is None or message.dedupe_key is not None:
        return message
    said = "\0".join(str(part) for part in (
        message.chat_id, message.purpose, message.text, message.reply_markup,
        message.document_path, message.checkin_id,
        *(() if message.buttons is None else (message.buttons.stored(),))))
    digest = hashlib.sha256(said.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    current.sent[digest] += 1
    return replace(message, dedupe_key=f"update:{current.update_id}:{digest}:"
                                       f"{current.sent[digest]}")


def _as_telegram_sent(value: object) -> object:
    """What PTB's `to_dict` leaves unconverted (an inaccessible pinned message's date), as
    Telegram sent it."""
    if isinstance(value, datetime):
        return int(value.timestamp())
    raise TypeError(f"{type(value).__name__} cannot be kept as JSON")


class DurableUpdateQueue(asyncio.Queue[object]):
    """The Application's update queue, written through to the database (see above)."""

    def __init__(self) -> None:
        super().__init__()
        self._db: Database | None = None
        self._clock: Clock | None = None

    def attach(self, db: Database, clock: Clock) -> None:
        """From now on, updates are kept (the database opens in the start-up hook, after
        the queue is made)."""
        self._db, self._clock = db, clock

    async def put(self, item: object) -> None:
        if isinstance(item, Update) and self._db is not None:
            content = item.to_dict()
            # Polling hands on an update it could not read emptied (bot/telegram_bot.py).
            has_content = bool(content.keys() - {"update_id"})
            try:
                new = await self.receive(item.update_id, content if has_content else None)
            except Exception as error:  # a broken or full disk: still answer the person
                log.error("update %s could not be kept (%s); handled without keeping it",
                          item.update_id, type(error).__name__)
                new = True
            if not (new and has_content):
                return
        await super().put(item)

    async def receive(self, update_id: int, content: dict[str, Any] | None) -> bool:
        """Keep an update's `content` (None: unreadable, kept by its id alone and never
        handled); False if it was received before."""
        assert self._db is not None and self._clock is not None
        body = None if content is None else json.dumps(content, ensure_ascii=False,
                                                       default=_as_telegram_sent)
        new = await updates_received.receive(self._db, update_id, body, self._clock.now())
        if not new:
            log.info("update %s came again; it was received before", update_id)
        return new

    async def handled(self, *update_ids: int) -> None:
        """Mark updates handled, all at once: the parts of one message (bot/gathering.py)
        are handled again together after a crash, or not at all."""
        if self._db is None or self._clock is None:
            return
        try:
            await updates_received.mark_handled(self._db, update_ids, self._clock.now())
        except Exception as error:  # it is handled again on start: the handlers allow it
            log.error("update %s could not be marked handled (%s)",
                      ", ".join(map(str, update_ids)), type(error).__name__)

    async def replay(self, bot: Bot) -> int:
        """Queue again the updates a stop or a crash left unhandled; how many."""
        assert self._db is not None and self._clock is not None
        queued = 0
        for waiting in await updates_received.take_waiting(self._db):
            update = readable(json.loads(waiting.body), bot)
            if update is None or waiting.attempts >= MOST_STARTS:
                log.error("update %s was begun %s times without finishing; set aside",
                          waiting.update_id, waiting.attempts)
                await updates_received.set_aside(self._db, waiting.update_id,
                                                 self._clock.now())
                continue
            await super().put(update)
            queued += 1
        return queued
