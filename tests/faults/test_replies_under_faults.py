"""Replies a person is waiting for survive network faults: with every 3rd message failing
(a 500, or a connection dropped before it arrived), a whole check-in and a piece of
feedback still reach the person, each step once."""

from __future__ import annotations

import pytest

from conversations.texts import text
from emulator.faults import Fault
from emulator.harness import LocalBot
from tests.helpers import World, enrol, tap_through_checkin

FAULTS = {"500": [Fault("sendMessage", "500", 3), Fault("editMessageText", "500", 3)],
          "dropped before": [Fault("sendMessage", "drop_before", 3),
                             Fault("answerCallbackQuery", "drop_before", 4)]}


@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
async def test_a_check_in_and_feedback_get_through(local: LocalBot, world: World,
                                                   faults: list[Fault]) -> None:
    sam = await enrol(local, world, 1501, "Sam")
    local.emulator.faults.rules.extend(faults)
    await tap_through_checkin(local, sam, "Start", "Good", "Mostly", "Mostly")
    sam.send_text("The carers are kind")
    await local.settle()
    sam.press_label("No thanks")
    await local.settle()
    sam.send_text("Thank you for the new rota")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT status FROM checkins") == "completed"
    assert sam.texts()[-1] == text("feedback.kind")
    assert sum(t.startswith("Thank you. Your answers go to") for t in sam.texts()) == 1
    assert sum(local.emulator.faults.injected.values()) >= 3
