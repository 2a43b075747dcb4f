"""Sends what is waiting in the outbox, at Telegram's pace: check-ins and reminders (built
as they go), alerts, notices and digests."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from pathlib import Path

from bot.checkin_messages import send_reminder, send_step
from bot.context import Runtime
from bot.delivery import send_one, send_text
from bot.telegram_bot import CarebotBot
from storage import checkins, outbox
from storage.models import CheckInStatus, OutboxMessage, Purpose

log = logging.getLogger(__name__)


async def _deliver(bot: CarebotBot, rt: Runtime, item: OutboxMessage) -> int | None:
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


class _SendOut:
    """One send-out: at most `max_in_flight` claimed and not yet answered, and one at a
    time per chat, in the order they were written, so that a person reads a summary
    before its files and a question after the words that led to it."""

    def __init__(self, bot: CarebotBot, rt: Runtime) -> None:
        self.bot, self.rt = bot, rt
        self.in_flight: dict[asyncio.Task[int | None], int] = {}  # task: its chat
        self.waiting: dict[int, deque[OutboxMessage]] = {}        # chat: claimed, queued
        self.sent = 0

    def _claimed(self) -> int:
        return len(self.in_flight) + sum(len(queue) for queue in self.waiting.values())

    def _start(self, item: OutboxMessage) -> None:
        task = asyncio.create_task(send_one(self.bot, self.rt, item, _deliver))
        self.in_flight[task] = item.chat_id

    def _take(self, item: OutboxMessage) -> None:
        if item.chat_id in self.in_flight.values():
            self.waiting.setdefault(item.chat_id, deque()).append(item)
        else:
            self._start(item)

    def _finished(self, task: asyncio.Task[int | None]) -> None:
        chat = self.in_flight.pop(task)
        self.sent += task.result() is not None
        queue = self.waiting.get(chat)
        if queue:
            self._start(queue.popleft())
        if queue is not None and not queue:
            del self.waiting[chat]

    async def run(self) -> int:
        """Claim as room frees up, until nothing is due or in flight."""
        while True:
            room = self.rt.config.max_in_flight - self._claimed()
            if room > 0 and not self.rt.stopping:
                for item in await outbox.claim_pending(self.rt.db, self.rt.clock.now(), room):
                    self._take(item)
            if not self.in_flight:
                return self.sent
            done, _ = await asyncio.wait(self.in_flight, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                self._finished(task)


async def send_pending(bot: CarebotBot, rt: Runtime) -> int:
    """Send everything due now; returns how many went (0 if a send-out already running
    takes them: it is asked to look again). The rate limiter sets the pace."""
    rt.send_requests += 1
    if rt.sending.locked():
        return 0
    sent = 0
    async with rt.sending:
        while True:
            asked = rt.send_requests
            sent += await _SendOut(bot, rt).run()
            if rt.send_requests == asked:
                return sent


async def _send_logged(bot: CarebotBot, rt: Runtime) -> int:
    try:
        return await send_pending(bot, rt)
    except Exception:
        log.exception("a send-out failed; what it did not send stays in the outbox")
        return 0


def send_soon(bot: CarebotBot, rt: Runtime) -> None:
    """Start sending what is due without waiting for it (a send-out under way is asked to
    look again). The periodic job opens thousands of check-ins this way while the first
    are already going, and a long send-out never holds up its next pass, which chases
    alerts."""
    if rt.stopping:
        return
    task = asyncio.create_task(_send_logged(bot, rt))
    rt.background.add(task)
    task.add_done_callback(rt.background.discard)


async def finish_sending(rt: Runtime) -> None:
    """On stopping: claim nothing more and let what is in flight finish, so each message
    is either sent and marked so, or still waiting for the next start."""
    rt.stopping = True
    await asyncio.gather(*rt.background, return_exceptions=True)
