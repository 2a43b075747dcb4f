"""Logs are safe to keep: the token never appears at any level, and at -v (INFO) nobody's
words do either."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from cli.logs import HIDDEN, SecretsHidden, configure_logging
from emulator.harness import LOCAL_TOKEN, LocalBot
from tests.helpers import World, enrol

WORDS = "My carer shouted at me and I felt scared"


@pytest.fixture
def log_text(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """Everything logged at the level the test is parametrised with, through our formatter."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(SecretsHidden([LOCAL_TOKEN]))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(request.param)
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
