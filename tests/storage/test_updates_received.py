"""Updates kept from arrival until handled (storage/updates_received.py, bot/inbox.py):
a repeat is known, an interrupted one comes back once per start, one that keeps failing
is set aside, and nobody's words stay once it is handled."""

from __future__ import annotations

import json
from datetime import timedelta

from telegram import Bot, Update

from carebot.bot.inbox import MOST_STARTS, DurableUpdateQueue
from carebot.settings.clock import SimulatedClock
from carebot.storage import updates_received
from carebot.storage.db import Database

BOT = Bot("1:not-a-real-token")


def _message(update_id: int, words: str) -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": 7, "type": "private"},
        "from": {"id": 7, "is_bot": False, "first_name": "Jo"}, "text": words}}


async def test_a_repeat_is_known_and_words_go_once_handled(db: Database,
                                                          clock: SimulatedClock) -> None:
    now = clock.now()
    assert await updates_received.receive(db, 1, json.dumps(_message(1, "hi")), now)
    assert not await updates_received.receive(db, 1, json.dumps(_message(1, "hi")), now)
    await updates_received.mark_handled(db, 1, now)
    assert await _rows(db, "SELECT body, status FROM updates_received") == [(None, "handled")]
    assert not await updates_received.receive(db, 1, json.dumps(_message(1, "hi")), now)
    assert await updates_received.take_waiting(db) == []
    assert await updates_received.forget_handled(db, now + timedelta(seconds=1)) == 1


async def test_an_interrupted_update_comes_back_until_it_is_set_aside(
        db: Database, clock: SimulatedClock) -> None:
    inbox = DurableUpdateQueue()
    inbox.attach(db, clock)
    await inbox.put(_update(2, "The carer did not come"))
    assert inbox.qsize() == 1
    await inbox.put(_update(2, "The carer did not come"))  # Telegram, again
    assert inbox.qsize() == 1
    for start in range(1, MOST_STARTS + 1):
        fresh = DurableUpdateQueue()  # the bot started again
        fresh.attach(db, clock)
        assert await fresh.replay(BOT) == (1 if start < MOST_STARTS else 0)
    assert await _rows(db, "SELECT body, status FROM updates_received") == [
        (None, "set_aside")]


async def test_an_update_with_nothing_readable_is_set_aside_at_once(
        db: Database, clock: SimulatedClock) -> None:
    inbox = DurableUpdateQueue()
    inbox.attach(db, clock)
    await inbox.put(Update.de_json({"update_id": 3}, BOT))  # polling empties what it cannot read
    await inbox.put(_update(4, "fine"))
    assert inbox.qsize() == 1
    assert await _rows(db, "SELECT update_id, status FROM updates_received ORDER BY 1") == [
        (3, "set_aside"), (4, "waiting")]


def _update(update_id: int, words: str) -> Update:
    return Update.de_json(_message(update_id, words), BOT)


async def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in await db.fetchall(sql)]
