"""The outbox sender keeps at most `max_in_flight` messages claimed and unanswered, so a
crash can repeat at most that many; each is marked sent as soon as Telegram answers; and a
send-out asked for while one runs is not lost."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from bot.outbox_sender import send_pending
from emulator.harness import LocalBot
from settings.clock import SimulatedClock
from settings.config import Config
from storage import outbox
from storage.models import Purpose

PEOPLE = 90
IN_FLIGHT = 10


async def _queue(local: LocalBot, first_user: int, count: int) -> None:
    rt = local.runtime
    for n in range(count):
        chat = local.person(first_user + n, "P").id
        await outbox.enqueue(rt.db, outbox.NewMessage(chat, Purpose.TALK_REQUEST, text="hi"),
                             rt.clock.now())


async def test_never_more_than_the_bound_in_flight(config: Config,
                                                   clock: SimulatedClock) -> None:
    async with LocalBot(replace(config, max_in_flight=IN_FLIGHT), clock) as local:
        rt = local.runtime
        await _queue(local, 5000, PEOPLE)
        sending = asyncio.create_task(send_pending(local.app.bot, rt))
        peak = 0
        while not sending.done():
            peak = max(peak, int(await rt.db.scalar(
                "SELECT COUNT(*) FROM outbox WHERE status = 'sending'")))
            await asyncio.sleep(0.002)
        assert await sending == PEOPLE
        assert 1 <= peak <= IN_FLIGHT
        assert await rt.db.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == PEOPLE


async def test_a_send_out_asked_for_during_another_is_not_lost(local: LocalBot) -> None:
    rt = local.runtime
    await _queue(local, 6000, 40)
    first = asyncio.create_task(send_pending(local.app.bot, rt))
    await asyncio.sleep(0.01)
    await _queue(local, 7000, 5)  # e.g. an alert raised while a send-out runs
    assert await send_pending(local.app.bot, rt) == 0  # the running one takes it
    assert await first == 45
    assert await rt.db.scalar("SELECT COUNT(*) FROM outbox WHERE status != 'sent'") == 0


async def test_one_chat_gets_its_messages_in_the_order_they_were_written(
        local: LocalBot, tmp_path: Path) -> None:
    """A summary before its files, a question after what led to it: one at a time per
    chat, while other chats go on at once."""
    rt = local.runtime
    reader = local.person(8100, "Alex")
    others = [local.person(8101 + n, "P") for n in range(5)]
    report = tmp_path / "report.html"
    report.write_text("<p>report</p>", encoding="utf-8")
    for n in range(8):
        file = str(report) if n % 3 == 0 else None
        await outbox.enqueue(rt.db, outbox.NewMessage(
            reader.id, Purpose.DIGEST_FILE if file else Purpose.DIGEST, text=f"part {n}",
            document_path=file), rt.clock.now())
        await outbox.enqueue(rt.db, outbox.NewMessage(others[n % 5].id, Purpose.DIGEST,
                                                      text="hi"), rt.clock.now())
    assert await send_pending(local.app.bot, rt) == 16
    assert reader.texts() == [f"part {n}" for n in range(8)]


async def test_an_alert_goes_ahead_of_a_send_out_already_waiting(local: LocalBot) -> None:
    """A risk never waits: with a send-out to many queued, an alert and a reply written
    after it are claimed first, the alert before the reply."""
    rt = local.runtime
    now = rt.clock.now()
    for n in range(50):
        await outbox.enqueue(rt.db, outbox.NewMessage(9000 + n, Purpose.ACTION,
                                                      text="You said, we did"), now)
    await outbox.enqueue(rt.db, outbox.NewMessage(9100, Purpose.ISSUE_NEWS, text="news"), now)
    await outbox.enqueue(rt.db, outbox.NewMessage(9101, Purpose.ALERT, text="alert"), now)
    claimed = await outbox.claim_pending(rt.db, now, 3)
    assert [m.purpose for m in claimed] == [Purpose.ALERT, Purpose.ISSUE_NEWS, Purpose.ACTION]
    assert claimed[2].chat_id == 9000  # a send-out goes in the order it was written
