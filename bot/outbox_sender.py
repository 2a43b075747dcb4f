"""Sends what is waiting in the outbox, at Telegram's pace, and records what happened."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.buttons import keyboard_from_json
from bot.checkin_messages import send_reminder, send_step
from bot.context import Runtime
from storage import checkins, directory, outbox
from storage.models import CheckInStatus, OutboxMessage, OutboxStatus, PersonStatus, Purpose

log = logging.getLogger(__name__)

NETWORK_RETRY = timedelta(seconds=5)  # the first wait; it doubles each time, up to
LONGEST_WAIT = timedelta(hours=1)
MAX_ATTEMPTS_ON_A_BUG = 5  # an item our own code keeps failing on is then set aside


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 5, 10, 20 … seconds, up to an
    hour. Most network faults pass in seconds; a long outage is not hammered."""
    doubled: timedelta = NETWORK_RETRY * 2 ** min(max(attempts - 1, 0), 10)
    return min(doubled, LONGEST_WAIT)


async def _deliver(bot: Bot, rt: Runtime, item: OutboxMessage) -> int | None:
    """Send one item; returns the message id, or None when there is nothing to send."""
    if item.purpose is Purpose.CHECKIN_START:
        assert item.checkin_id is not None
        checkin = await checkins.get_checkin(rt.db, item.checkin_id)
        if checkin is None or checkin.status is not CheckInStatus.QUEUED:
            return None
        message_id = await send_step(bot, rt, item.chat_id, checkin, 0)
        assert message_id is not None
        await checkins.mark_checkin_sent(rt.db, checkin.id, message_id, rt.clock.now())
        return message_id
    if item.purpose is Purpose.CHECKIN_REMINDER:
        assert item.checkin_id is not None
        checkin = await checkins.get_checkin(rt.db, item.checkin_id)
        return None if checkin is None else await send_reminder(bot, rt, item.chat_id, checkin)
    if item.document_path is not None:
        path = Path(item.document_path)
        content = await asyncio.to_thread(path.read_bytes)
        message = await bot.send_document(item.chat_id, content, filename=path.name,
                                          caption=item.text)
        return message.message_id
    assert item.text is not None
    message = await bot.send_message(item.chat_id, item.text,
                                     reply_markup=keyboard_from_json(item.reply_markup))
    return message.message_id


async def _send_one(bot: Bot, rt: Runtime, item: OutboxMessage) -> int | None:
    """Send one claimed item and record what happened; its message id if it went."""
    try:
        message_id = await _deliver(bot, rt, item)
    except Forbidden as error:
        await outbox.mark_failed(rt.db, item.id, OutboxStatus.BLOCKED, str(error))
        if item.person_id is not None:
            await directory.set_person_status(rt.db, item.person_id, PersonStatus.BLOCKED,
                                              rt.clock.now())
        return None
    except RetryAfter as error:
        wait = error.retry_after
        seconds = wait if isinstance(wait, int) else wait.total_seconds()
        await outbox.mark_retry(rt.db, item.id, rt.clock.now() + timedelta(seconds=seconds),
                                str(error))
        return None
    except BadRequest as error:
        log.error("Telegram refused outbox item %s: %s", item.id, error)
        await outbox.mark_failed(rt.db, item.id, OutboxStatus.FAILED, str(error))
        return None
    except NetworkError as error:
        await outbox.mark_retry(rt.db, item.id, rt.clock.now() + backoff(item.attempts),
                                str(error))
        return None
    except Exception as error:  # a bug of ours: keep the message, try a few times more
        log.exception("could not send outbox item %s (try %s)", item.id, item.attempts)
        if item.attempts >= MAX_ATTEMPTS_ON_A_BUG:
            log.error("outbox item %s set aside after %s tries", item.id, item.attempts)
            await outbox.mark_failed(rt.db, item.id, OutboxStatus.FAILED, repr(error))
        else:
            await outbox.mark_retry(rt.db, item.id, rt.clock.now() + backoff(item.attempts),
                                    repr(error))
        return None
    if message_id is None:
        await outbox.mark_failed(rt.db, item.id, OutboxStatus.FAILED,
                                  "nothing to send any more")
        return None
    await outbox.mark_sent(rt.db, item.id, message_id, rt.clock.now())
    return message_id


async def _send_out(bot: Bot, rt: Runtime) -> int:
    """Send what is due, keeping at most `max_in_flight` claimed and not yet answered:
    as each is answered (and marked), the next is claimed."""
    sent = 0
    in_flight: set[asyncio.Task[int | None]] = set()
    while True:
        room = rt.config.max_in_flight - len(in_flight)
        if room > 0:
            claimed = await outbox.claim_pending(rt.db, rt.clock.now(), room)
            in_flight |= {asyncio.create_task(_send_one(bot, rt, item)) for item in claimed}
        if not in_flight:
            return sent
        done, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        sent += sum(task.result() is not None for task in done)


async def send_pending(bot: Bot, rt: Runtime) -> int:
    """Send everything due now; returns how many went (0 if a send-out already running
    takes them: it is asked to look again). The rate limiter sets the pace."""
    rt.send_requests += 1
    if rt.sending.locked():
        return 0
    sent = 0
    async with rt.sending:
        while True:
            asked = rt.send_requests
            sent += await _send_out(bot, rt)
            if rt.send_requests == asked:
                return sent


async def send_now(bot: Bot, rt: Runtime, message: outbox.NewMessage) -> int | None:
    """Write first, then send at once: a reply the person is waiting for goes out now,
    ahead of any send-out, and is not lost if sending fails (it is retried from the
    outbox) or the bot dies mid-way (it is sent again on start). Its message id if sent."""
    item = await outbox.add_claimed(rt.db, message, rt.clock.now())
    return await _send_one(bot, rt, item)
