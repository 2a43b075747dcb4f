"""Sends what is waiting in the outbox, at Telegram's pace: check-ins and reminders (built
as they go), alerts, notices and digests. Only as many are sent at once as Telegram's rate
needs at the time a send takes (measured, `SendPace`), since each one under way can go
twice after a crash."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path

from carebot.bot.checkin_messages import send_reminder, send_step
from carebot.bot.context import Runtime
from carebot.bot.delivery import WhenSent, send_one, send_text
from carebot.bot.rate_limit import FloodRateLimiter
from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations import fitting
from carebot.storage import checkins, directory, outbox
from carebot.storage.models import CheckInStatus, OutboxMessage, Purpose
from carebot.translations.speaking import speaking

log = logging.getLogger(__name__)


async def _deliver(bot: CarebotBot, rt: Runtime, item: OutboxMessage) -> int | None:
    """Send one item; returns the message id, or None when there is nothing to send.
    What is built as it goes (a check-in's hello, a reminder, buttons' words) is in the
    language of the person it is for."""
    with speaking(await directory.language_of_chat(rt.db, item.chat_id)):
        return await _deliver_built(bot, rt, item)


async def _deliver_built(bot: CarebotBot, rt: Runtime, item: OutboxMessage) -> int | None:
    if item.purpose is Purpose.CHECKIN_START:
        assert item.checkin_id is not None
        checkin = await checkins.get_checkin(rt.db, item.checkin_id)
        if checkin is None or checkin.status is not CheckInStatus.QUEUED:
            return None
        message_id = await send_step(bot, rt, item.chat_id, checkin, 0, in_outbox=True)
        assert message_id is not None
        return message_id  # the check-in is marked sent with it (`_written_with`)
    if item.purpose is Purpose.CHECKIN_REMINDER:
        assert item.checkin_id is not None
        checkin = await checkins.get_checkin(rt.db, item.checkin_id)
        return None if checkin is None else await send_reminder(bot, rt, item.chat_id, checkin)
    if item.document_path is not None:
        path = Path(item.document_path)
        content = await asyncio.to_thread(path.read_bytes)
        caption = item.text
        if caption is not None and not fitting.fits(caption, fitting.CAPTION_LIMIT):
            # the words first, whole, then the document
            await send_text(bot, rt, replace(item, reply_markup=None, buttons=None))
            caption = None
        message = await bot.send_document(item.chat_id, content, filename=path.name,
                                          caption=caption)
        return message.message_id
    return await send_text(bot, rt, item)


def _written_with(rt: Runtime, item: OutboxMessage) -> WhenSent | None:
    """What is written in the same transaction as the item's being sent: a hello opens
    its check-in. Written apart, a crash between the two left the check-in open and the
    row 'sending'; sent again on start, the row found nothing to send and was marked
    failed, though the hello had gone (issue 26, item 9)."""
    if item.purpose is not Purpose.CHECKIN_START or item.checkin_id is None:
        return None
    checkin_id = item.checkin_id
    return lambda message_id: checkins.hello_sent(checkin_id, message_id, rt.clock.now())


def _limiter(bot: CarebotBot) -> FloodRateLimiter:
    limiter = bot.rate_limiter
    assert isinstance(limiter, FloodRateLimiter), "the bot is built with carebot's limiter"
    return limiter


class _SendOut:
    """One send-out. It claims up to `max_in_flight` messages ahead, and sends as many of
    them at once as Telegram's rate needs at the time a send takes (`SendPace`): a few
    near Telegram, more far from it, and never more than `max_in_flight`. Those are all
    a crash can send twice; more at once would only wait for room in the flood window.
    One at a time per chat, in the order they were written, so that a person reads a
    summary before its files and a question after the words that led to it; and a chat
    whose own window is full waits in the queue, not in a place in flight."""

    def __init__(self, bot: CarebotBot, rt: Runtime) -> None:
        self.bot, self.rt = bot, rt
        self.limiter = _limiter(bot)
        self.in_flight: dict[asyncio.Task[int | None], int] = {}  # task: its chat
        self.queued: list[OutboxMessage] = []  # claimed, not yet started, in claim order
        self.sent = 0

    async def _send(self, item: OutboxMessage) -> int | None:
        with self.limiter.timing():
            return await send_one(self.bot, self.rt, item, _deliver,
                                  when_sent=_written_with(self.rt, item))

    def _start_what_can_go(self) -> float | None:
        """Start queued messages, oldest first, while there is room in flight, each once
        its chat has nothing under way and room in its window. Returns the seconds until
        the first chat held back for its window has room (None: none is)."""
        pace = self.limiter.pace
        limit = pace.in_flight(self.rt.config.max_in_flight)
        self.rt.ops.metrics.note_pace(limit, pace.busy_seconds)
        room = limit - len(self.in_flight)
        busy = set(self.in_flight.values())
        chat_room_in: float | None = None
        for item in list(self.queued):
            if room <= 0:
                break
            if item.chat_id in busy:
                continue
            busy.add(item.chat_id)  # the chat's later messages go after this one
            wait = self.limiter.chat_wait(item.chat_id)
            if wait > 0:
                chat_room_in = wait if chat_room_in is None else min(chat_room_in, wait)
                continue
            self.queued.remove(item)
            self.in_flight[asyncio.create_task(self._send(item))] = item.chat_id
            room -= 1
        return chat_room_in

    async def run(self) -> int:
        """Claim as room frees up, until nothing is due, queued or in flight."""
        while True:
            room = self.rt.config.max_in_flight - len(self.in_flight) - len(self.queued)
            if room > 0 and not self.rt.ops.stopping:
                self.queued += await outbox.claim_pending(self.rt.db, self.rt.clock.now(),
                                                          room)
            chat_room_in = self._start_what_can_go()
            if not self.in_flight:
                if not self.queued:
                    return self.sent
                assert chat_room_in is not None  # only chats waiting for their window
                await asyncio.sleep(chat_room_in)
                continue
            done, _ = await asyncio.wait(self.in_flight, timeout=chat_room_in,
                                         return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                del self.in_flight[task]
                self.sent += task.result() is not None


async def send_pending(bot: CarebotBot, rt: Runtime) -> int:
    """Send everything due now; returns how many went (0 if a send-out already running
    takes them: it is asked to look again). The rate limiter sets the pace."""
    rt.send_out.requests += 1
    if rt.send_out.lock.locked():
        return 0
    sent = 0
    async with rt.send_out.lock:
        while True:
            asked = rt.send_out.requests
            sent += await _SendOut(bot, rt).run()
            if rt.send_out.requests == asked:
                return sent


async def send_logged(bot: CarebotBot, rt: Runtime) -> int:
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
    if rt.ops.stopping:
        return
    task = asyncio.create_task(send_logged(bot, rt))
    rt.ops.background.add(task)
    task.add_done_callback(rt.ops.background.discard)


async def finish_sending(rt: Runtime) -> None:
    """On stopping: claim nothing more and let what is in flight finish, so each message
    is either sent and marked so, or still waiting for the next start."""
    rt.ops.stopping = True
    await asyncio.gather(*rt.ops.background, return_exceptions=True)
