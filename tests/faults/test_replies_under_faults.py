"""Replies a person is waiting for survive network faults: with every 3rd message failing
(a 500, or a connection dropped before it arrived), a whole check-in and a piece of
feedback still reach the person, each step once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from carebot.conversations.texts import text
from carebot.emulator.faults import Fault
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
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


async def test_a_reply_that_cannot_go_now_is_kept_and_goes_later(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 1502, "Sam")
    local.emulator.faults.rules.append(Fault("sendMessage", "500", 1))  # Telegram is down
    sam.send_command("help")
    await local.settle()
    assert sam.texts()[-1] != text("help.person")
    db = local.runtime.db
    assert await db.scalar("SELECT status FROM outbox WHERE purpose = 'reply' "
                           "ORDER BY id DESC LIMIT 1") == "pending"
    local.emulator.faults.rules.clear()  # Telegram is back
    clock.advance(timedelta(minutes=1))
    await local.tick()
    assert sam.texts()[-1] == text("help.person")
    assert sam.texts().count(text("help.person")) == 1


async def test_a_question_that_cannot_go_now_comes_later_and_can_be_answered(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 1503, "Sam")
    await tap_through_checkin(local, sam, "Start")
    local.emulator.faults.rules.append(Fault("sendMessage", "500", 1))  # Telegram is down
    before = len(sam.inbox)
    sam.press_label("Good")
    await local.settle()
    assert len(sam.inbox) == before  # the next question did not go
    assert await local.runtime.db.scalar(
        "SELECT COUNT(*) FROM outbox WHERE purpose = 'reply' AND status = 'pending'") == 1
    local.emulator.faults.rules.clear()
    clock.advance(timedelta(minutes=1))
    await local.tick()  # the question waiting in the outbox goes now
    assert len(sam.inbox) == before + 1
    question = sam.last
    assert question.buttons() and "Overall" not in (question.text or "")
    sam.press_label("Mostly", question)
    await local.settle()
    rows = await local.runtime.db.fetchall("SELECT choice FROM answers ORDER BY id")
    assert [r["choice"] for r in rows] == ["good", "mostly"]
