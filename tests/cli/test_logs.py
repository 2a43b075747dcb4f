"""Logs are safe to keep: the token never appears at any level, and at -v (INFO) nobody's
words do either."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from carebot.bot.log_context import UpdateFields
from carebot.cli.logs import HIDDEN, JsonLines, SecretsHidden, configure_logging
from carebot.emulator.harness import LOCAL_TOKEN, LocalBot
from carebot.storage import outbox
from carebot.storage.models import Purpose
from tests.helpers import World, enrol

WORDS = "My carer shouted at me and I felt scared"


@pytest.fixture
def log_text(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """Everything logged at the level the test is parametrised with, through our formatter."""
    level, kind = request.param if isinstance(request.param, tuple) else (request.param,
                                                                          SecretsHidden)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(kind([LOCAL_TOKEN]))
    handler.addFilter(UpdateFields())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(level)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_the_token_is_hidden_in_messages_arguments_and_tracebacks() -> None:
    formatter = SecretsHidden(["123:SECRET", None])
    try:
        raise RuntimeError("POST https://api.telegram.org/bot123:SECRET/getMe failed")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "calling %s", ("123:SECRET",),
                                   exc_info=sys.exc_info())
    shown = formatter.format(record)
    assert "123:SECRET" not in shown and shown.count(HIDDEN) >= 2


def test_request_lines_are_quiet_at_info() -> None:
    configure_logging(True, ["1:x"])
    try:
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    finally:
        logging.getLogger().handlers.clear()


@pytest.mark.parametrize("log_text", [logging.INFO, logging.DEBUG], indirect=True)
async def test_a_journey_logs_no_token_and_at_info_no_words(
        local: LocalBot, world: World, log_text: io.StringIO) -> None:
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # the worst case: every request line
    sam = await enrol(local, world, 1301, "Sam")
    sent = sam.send_text(WORDS)
    sam.edit(sent, WORDS + " again")
    sam.send_command("forged", "data")
    await local.settle()
    logging.getLogger("httpx").setLevel(logging.NOTSET)
    text = log_text.getvalue()
    assert "getUpdates" in text or logging.getLogger().level > logging.DEBUG
    assert LOCAL_TOKEN not in text and LOCAL_TOKEN.split(":")[1] not in text
    if logging.getLogger().level == logging.INFO:
        assert "shouted" not in text and "edited_message from person" in text


@pytest.mark.parametrize("log_text", [(logging.INFO, JsonLines)], indirect=True)
async def test_json_lines_say_which_update_and_chat(
        local: LocalBot, world: World, log_text: io.StringIO) -> None:
    sam = await enrol(local, world, 1302, "Sam")
    sent = sam.send_text(WORDS)
    sam.edit(sent, WORDS + " again")
    await local.settle()
    lines = [json.loads(line) for line in log_text.getvalue().splitlines()]
    edit = next(line for line in lines if "edited_message from person" in line["message"])
    assert edit["chat_id"] == 1302 and isinstance(edit["update_id"], int)
    assert edit["level"] == "INFO" and edit["time"].endswith("+00:00")
    assert all(LOCAL_TOKEN not in json.dumps(line) and "shouted" not in json.dumps(line)
               for line in lines)


@pytest.mark.parametrize("log_text", [logging.WARNING], indirect=True)
async def test_every_send_failure_is_one_line_with_the_outbox_id(
        local: LocalBot, world: World, log_text: io.StringIO) -> None:
    sam = await enrol(local, world, 1303, "Sam")
    local.emulator.chats[1303].blocked = True
    rt = local.runtime
    queued = await outbox.enqueue(rt.db, outbox.NewMessage(
        1303, Purpose.ISSUE_NEWS, text="Your problem was looked at"), rt.clock.now())
    await local.tick()
    line = next(line for line in log_text.getvalue().splitlines() if "not sent" in line)
    assert f"outbox item {queued} (issue_news) to chat 1303 not sent, try 1" in line
    assert "blocked" in line and "looked at" not in line
    assert sam.last is not None  # the welcome went before the block
