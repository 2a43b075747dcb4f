"""One update PTB cannot read is skipped by its id, and everyone else is still answered."""

from __future__ import annotations

import logging

import pytest
from telegram import Update

from bot.telegram_bot import CarebotBot
from conversations.texts import text
from emulator.harness import LocalBot
from tests.helpers import World, enrol

UNREADABLE = ({"poll": {"id": "7"}},  # a poll without its question and options
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
    with caplog.at_level(logging.ERROR, logger="bot.telegram_bot"):
        for content in UNREADABLE:
            local.emulator.push_update(content)
        sam.send_command("help")
        await local.settle()
    assert sam.texts()[-1] == text("help.person")
    assert local.emulator.unconfirmed_updates == 0
    assert caplog.text.count("could not be read") == len(UNREADABLE)
    assert "question" not in caplog.text  # ids only, never content
