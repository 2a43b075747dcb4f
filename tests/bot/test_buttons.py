"""Each kind of button owns its data: what `pack` makes, `unpack` reads back and `PATTERN`
matches; nothing else matches; and every kind is routed in `build_application`, with a
catch-all last for forged or stale taps."""

from __future__ import annotations

import pytest
from telegram.ext import CallbackQueryHandler

from bot.application import build_application
from bot.buttons import CallbackButton
from settings.clock import SystemClock
from settings.config import Config
from tests.helpers import BUTTON_EXAMPLES

EXAMPLES = BUTTON_EXAMPLES
KINDS = sorted({type(b) for b in EXAMPLES}, key=lambda kind: kind.__name__)


def test_the_examples_cover_every_kind_of_button() -> None:
    assert set(KINDS) == set(CallbackButton.__subclasses__())


@pytest.mark.parametrize("button", EXAMPLES, ids=repr)
def test_pack_then_unpack_gives_the_same_button(button: CallbackButton) -> None:
    data = button.pack()
    assert len(data.encode()) <= 64  # Telegram's limit on callback data
    assert type(button).unpack(data) == button
    others = [kind for kind in KINDS if kind is not type(button)]
    assert [kind for kind in others if kind.PATTERN.match(data)] == []


@pytest.mark.parametrize("data", [
    "", "a|1|1", "a|1|1|VERY_GOOD", "a|1|1|x\n", "a|-1|1|x", "consent|maybe", "k|1|",
    "s|yearly", "s|weekly|7", "s|weekly|morning", "s|weekly|1|night", "p|3", "ack|x",
    "f|yes|no", "a|1234567890123|1|x", "ack|1 ", "consent|yes\n",
])
def test_forged_data_fits_no_kind(data: str) -> None:
    assert [kind.__name__ for kind in KINDS if kind.unpack(data) is not None] == []


def test_every_kind_is_routed_and_a_catch_all_comes_last() -> None:
    app = build_application(Config(token="1:TEST"), SystemClock())
    taps = [h for group in app.handlers.values() for h in group
            if isinstance(h, CallbackQueryHandler)]
    patterns = [h.pattern for h in taps]
    assert all(kind.PATTERN in patterns for kind in KINDS)
    assert taps[-1].pattern is None and patterns.count(None) == 1
