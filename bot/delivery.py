"""Sending one outbox message and recording what happened: sent (with its message id),
to try again later (with backoff), or given up. Used by the outbox sender for each message
of a send-out, and by `send_now` for a reply written just before it is sent.

Words longer than one Telegram message go in labelled parts (buttons on the last), so no
text is refused for its length; a fault part-way sends the whole again later, so the
first parts can show twice, as any message can after a lost answer. Should Telegram
still refuse one as too long (its words, its caption or its buttons), that is an error in
the log, a count in /metrics and a reason /healthz gives; the message is marked failed,
never sent."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from carebot.bot.context import Runtime
from carebot.bot.inbox import with_once_key
from carebot.bot.keyboards import markup_of
from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations import fitting
from carebot.conversations.texts import text
from carebot.operations.nightly_backups import note_sent
from carebot.storage import directory, outbox
from carebot.storage.db import Statement
from carebot.storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

Deliver = Callable[[CarebotBot, Runtime, OutboxMessage], Awaitable[int | None]]
WhenSent = Callable[[int], Statement]  # what to write with a message's id once it went

NETWORK_RETRY = timedelta(seconds=5)  # the first wait; it doubles each time, up to
LONGEST_WAIT = timedelta(hours=1)
MAX_ATTEMPTS_ON_A_BUG = 5  # an item our own code keeps failing on is then set aside


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 5, 10, 20 … seconds, up to an
    hour. Most network faults pass in seconds; a long outage is not hammered."""
    doubled: timedelta = NETWORK_RETRY * 2 ** min(max(attempts - 1, 0), 10)
    return min(doubled, LONGEST_WAIT)


def parts_of(words: str) -> list[str]:
    """The messages `words` are sent as: one if they fit, else labelled parts that do."""
    return fitting.split_labelled(words, lambda part, parts: text(
        "part.label", part=part, parts=parts))


async def send_text(bot: CarebotBot, rt: Runtime, item: OutboxMessage) -> int | None:
    """A message of words (and buttons): the message id (the last part's, which has the
    buttons, if the words needed more than one message)."""
    assert item.text is not None
    parts = parts_of(item.text)
    buttons = markup_of(item)
    message_id = None
    for number, part in enumerate(parts, start=1):
        message_id = await bot.send_words(item.chat_id, part,
                                          buttons if number == len(parts) else None)
    return message_id


# What Telegram says when a message is too long, and which part of it was (a button's
# data over 64 bytes is "BUTTON_DATA_INVALID").
TOO_LONG = {"message is too long": "text", "message_too_long": "text",
            "text is too long": "text", "caption is too long": "caption",
            "reply markup is too long": "buttons", "button_data_invalid": "buttons"}


def too_long(error: BadRequest) -> str | None:
    """What was too long (text, caption, buttons), if that is why Telegram refused it."""
    said = error.message.lower()
    return next((what for words, what in TOO_LONG.items() if words in said), None)


async def send_one(bot: CarebotBot, rt: Runtime, item: OutboxMessage,
                   deliver: Deliver = send_text, *, when_sent: WhenSent | None = None,
                   ) -> int | None:
    """Send one claimed item and record what happened; its message id if it went. If it
    went, `when_sent(message_id)` is written with its being sent."""
    try:
        message_id = await deliver(bot, rt, item)
    except Forbidden as error:
        _failed(rt, item, "blocked", error)
        await outbox.mark_failed(rt.db, item.id, OutboxStatus.BLOCKED, str(error))
        if item.person_id is not None:
            await directory.mark_blocked(rt.db, item.person_id)
        return None
    except RetryAfter as error:
        _failed(rt, item, "retry", error)
        wait = error.retry_after
        seconds = wait if isinstance(wait, int) else wait.total_seconds()
        await outbox.mark_retry(rt.db, item.id, rt.clock.now() + timedelta(seconds=seconds),
                                str(error))
        return None
    except BadRequest as error:
        what = too_long(error)
        if what is not None:
            _refused_as_too_long(rt, item, what)
        else:
            _failed(rt, item, "refused", error, logging.ERROR)
        await outbox.mark_failed(rt.db, item.id, OutboxStatus.FAILED, str(error))
        return None
    except NetworkError as error:
        _failed(rt, item, "retry", error)
        await outbox.mark_retry(rt.db, item.id, rt.clock.now() + backoff(item.attempts),
                                str(error))
        return None
    except Exception as error:  # a bug of ours: keep the message, try a few times more
        log.exception("could not send outbox item %s (try %s)", item.id, item.attempts + 1)
        if item.attempts >= MAX_ATTEMPTS_ON_A_BUG:
            _failed(rt, item, "gave_up", error, logging.ERROR)
            await outbox.mark_failed(rt.db, item.id, OutboxStatus.FAILED, repr(error))
        else:
            _failed(rt, item, "retry", error)
            await outbox.mark_retry(rt.db, item.id, rt.clock.now() + backoff(item.attempts),
                                    repr(error))
        return None
    if message_id is None:
        _failed(rt, item, "gave_up", "nothing to send any more")
        await outbox.mark_failed(rt.db, item.id, OutboxStatus.FAILED,
                                  "nothing to send any more")
        return None
    rt.ops.metrics.sent.labels(item.purpose).inc()
    also = () if when_sent is None else (when_sent(message_id),)
    sent_at = rt.clock.now()
    await outbox.mark_sent(rt.db, item.id, message_id, sent_at, *also)
    await note_sent(rt, item, message_id, sent_at)
    return message_id


def _failed(rt: Runtime, item: OutboxMessage, reason: str, error: object,
            level: int = logging.WARNING) -> None:
    """One log line and one count for each try that did not go: which outbox item, to
    which chat, why (Telegram's reason, never the message's words)."""
    rt.ops.metrics.failed.labels(item.purpose, reason).inc()
    log.log(level, "outbox item %s (%s) to chat %s not sent, try %s: %s (%s)", item.id,
            item.purpose, item.chat_id, item.attempts + 1, reason, _reason(error))


def _refused_as_too_long(rt: Runtime, item: OutboxMessage, what: str) -> None:
    """Counted apart, for /metrics and /healthz: a message carebot made too big is a bug
    someone must see. The log line gives its size, never its words."""
    rt.ops.metrics.failed.labels(item.purpose, "too_long").inc()
    rt.ops.metrics.note_too_long(item.purpose, what, rt.clock.now())
    buttons = markup_of(item)
    count = 0 if buttons is None else sum(len(row) for row in buttons.inline_keyboard)
    log.error("outbox item %s (%s) to chat %s refused by Telegram as too long (%s): "
              "%s characters, %s buttons; it is not sent", item.id, item.purpose,
              item.chat_id, what, fitting.length(item.text or ""), count)


def _reason(error: object) -> str:
    return error if isinstance(error, str) else f"{type(error).__name__}: {error}"


async def send_now(bot: CarebotBot, rt: Runtime, message: outbox.NewMessage, *,
                   when_sent: WhenSent | None = None) -> int | None:
    """Write first, then send at once: a reply the person is waiting for goes out now,
    ahead of any send-out, and is not lost if sending fails (it is retried from the
    outbox) or the bot dies mid-way (it is sent again on start). Its message id if sent.
    While an update is handled, a message its handling already wrote before a crash is
    not written or sent again (bot/inbox.py, `once_key`)."""
    item = await outbox.add_claimed(rt.db, with_once_key(message), rt.clock.now())
    if item is None:
        return None
    return await send_one(bot, rt, item, when_sent=when_sent)
