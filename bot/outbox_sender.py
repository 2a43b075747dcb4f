"""Sends what is waiting in the outbox, at Telegram's pace: check-ins and reminders (built
as they go), alerts, notices and digests."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Bot

from bot.checkin_messages import send_reminder, send_step
from bot.context import Runtime
from bot.delivery import send_one, send_text
from storage import checkins, outbox
from storage.models import CheckInStatus, OutboxMessage, Purpose


async def _deliver(bot: Bot, rt: Runtime, item: OutboxMessage) -> int | None:
    """Send one item; returns the message id, or None when there is nothing to send."""
    if item.purpose is Purpose.CHECKIN_START:
        assert item.checkin_id is not None
        checkin = await checkins.get_checkin(rt.db, item.checkin_id)
        if checkin is None or checkin.status is not CheckInStatus.QUEUED:
            return None
        message_id = await send_step(bot, rt, item.chat_id, checkin, 0, in_outbox=True)
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
    return await send_text(bot, rt, item)


async def _send_out(bot: Bot, rt: Runtime) -> int:
    """Send what is due, keeping at most `max_in_flight` claimed and not yet answered:
    as each is answered (and marked), the next is claimed."""
    sent = 0
    in_flight: set[asyncio.Task[int | None]] = set()
    while True:
        room = rt.config.max_in_flight - len(in_flight)
        if room > 0:
            claimed = await outbox.claim_pending(rt.db, rt.clock.now(), room)
            in_flight |= {asyncio.create_task(send_one(bot, rt, item, _deliver))
                          for item in claimed}
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
