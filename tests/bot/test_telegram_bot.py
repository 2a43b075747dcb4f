"""One update PTB cannot read is skipped by its id, and everyone else is still answered."""

from __future__ import annotations

import logging

import aiohttp
import pytest
from telegram import Update
from telegram.error import Conflict

from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.operations.health import problems
from tests.helpers import World, enrol, until

UNREADABLE = ({"my_chat_member": {"chat": {"id": 1}}},  # without who, when or what
              {"message": {"message_id": 1}},  # a message without chat or date
              {"callback_query": "not an object"})


@pytest.mark.parametrize("content", UNREADABLE)
def test_such_updates_really_cannot_be_read(content: dict[str, object]) -> None:
    bot = CarebotBot("1:TEST")
    with pytest.raises(Exception):  # noqa: B017 - whatever PTB raises, it raises
        Update.de_json({"update_id": 5, **content}, bot)
    assert bot._readable({"update_id": 5, **content}) == {"update_id": 5}


async def test_an_unreadable_update_stalls_nobody(local: LocalBot, world: World,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    sam = await enrol(local, world, 901, "Sam")
    with caplog.at_level(logging.ERROR, logger="carebot.bot.telegram_bot"):
        for content in UNREADABLE:
            local.emulator.push_update(content)
        sam.send_command("help")
        await local.settle()
    assert sam.texts()[-1] == text("help.person")
    assert local.emulator.unconfirmed_updates == 0
    assert caplog.text.count("could not be read") == len(UNREADABLE)
    assert "question" not in caplog.text  # ids only, never content


async def test_a_second_program_polling_with_the_token_is_said_plainly(
        local: LocalBot, world: World, caplog: pytest.LogCaptureFixture) -> None:
    """Telegram ends a waiting long poll with 409 Conflict when another program polls with
    the same token; each then gets only some of what people send. carebot says so once
    (not a traceback every few seconds), counts it, and /healthz is not healthy."""
    sam = await enrol(local, world, 902, "Sam")
    url = f"{local.emulator.base_url}{local.emulator.token}/getUpdates"
    with caplog.at_level(logging.INFO):
        async with aiohttp.ClientSession() as other_program:
            for _ in range(3):
                async with other_program.post(url, json={"timeout": 1}) as answer:
                    assert answer.status in (200, 409)  # it is cut short in turn
        await until(lambda: local.runtime.ops.metrics.conflict_within(60), timeout=10)
    found, _ = await problems(local.runtime)
    assert any("another program is taking this bot's updates" in f for f in found)
    said = [r for r in caplog.records if "409 Conflict" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.ERROR
    assert not any(r.exc_info and isinstance(r.exc_info[1], Conflict)
                   for r in caplog.records), "no traceback for it"
    sam.send_command("help")  # it still answers what it gets
    await local.settle()
    assert sam.texts()[-1] == text("help.person")
