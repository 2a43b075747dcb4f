"""A risk never waits for a digest: the duty contact is told at once, and can say they
are dealing with it; the person is told what happens next."""

from __future__ import annotations

import logging

import pytest

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.storage import directory
from carebot.storage.models import PersonStatus, Role
from tests.helpers import World, enrol, tap_through_checkin


async def _duty(local: LocalBot, world: World, user_id: int = 1301) -> SimulatedPerson:
    duty = await enrol(local, world, user_id, "Duty team", role=Role.DUTY_CONTACT)
    person = await directory.person_by_telegram_id(local.runtime.db, user_id)
    assert person is not None
    await directory.set_duty_contact(local.runtime.db, world.service_id, person.id)
    return duty


async def test_a_worrying_message_alerts_the_duty_contact_at_once(local: LocalBot,
                                                                  world: World) -> None:
    duty = await _duty(local, world)
    jo = await enrol(local, world, 1302, "Jo", role=Role.CARER)
    words = "One of the carers slapped my dad when he would not get dressed. He is bleeding."
    jo.send_text(words)
    await local.settle()
    assert jo.texts()[-1].startswith(text("alert.person", service=world.service_name))
    alert = duty.last
    assert alert.text is not None and alert.text.startswith(
        "Safeguarding urgent: please check on the person Jo cares for at Home Care East "
        "today.")
    assert words in alert.text and "physical" in alert.text
    row = await local.runtime.db.fetchone("SELECT id, level, acknowledged_at FROM alerts")
    assert row is not None and (row["level"], row["acknowledged_at"]) == ("urgent", None)
    duty.press_label("I will deal with it")
    await local.settle()
    assert duty.texts()[-1] == text("alert.done.dealing", reference=f"A-{row['id']}")
    assert await local.runtime.db.scalar("SELECT acknowledged_by FROM alerts") is not None


async def test_someone_else_cannot_acknowledge(local: LocalBot, world: World) -> None:
    await _duty(local, world)
    jo = await enrol(local, world, 1303, "Jo", role=Role.CARER)
    jo.send_text("Money went missing from mum's purse after the visit.")
    await local.settle()
    alert_id = await local.runtime.db.scalar("SELECT id FROM alerts")
    jo.press(jo.last, f"ack|{alert_id}")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT acknowledged_at FROM alerts") is None


async def test_a_check_in_answer_raises_an_alert_too(local: LocalBot, world: World) -> None:
    duty = await _duty(local, world)
    sam = await enrol(local, world, 1304, "Sam")
    await tap_through_checkin(local, sam, "Start", "Poor", "Never", "Never")
    sam.send_text("Nobody came yesterday so I had no food all day.")
    await local.settle()
    assert text("alert.person", service=world.service_name) in sam.texts()
    assert "anything else" in (sam.last.text or "")  # the check-in carries on
    assert (duty.last.text or "").startswith("Safeguarding concern")


async def test_without_a_duty_contact_the_person_is_still_told_what_to_do(
        local: LocalBot, world: World, caplog: pytest.LogCaptureFixture) -> None:
    jo = await enrol(local, world, 1305, "Jo", role=Role.CARER)
    jo.send_text("I am scared of the new carer.")
    await local.settle()
    assert jo.texts()[-1].startswith(text("alert.no_contact"))
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM alerts") == 1
    # An alert that reached nobody is an error for whoever runs the bot to see.
    assert any(r.levelno == logging.ERROR and "reached nobody" in r.getMessage()
               for r in caplog.records)


async def test_reassurance_raises_nothing(local: LocalBot, world: World) -> None:
    await _duty(local, world)
    jo = await enrol(local, world, 1306, "Jo", role=Role.CARER)
    jo.send_text("Mum says she feels safe and is never scared with them.")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM alerts") == 0


async def test_at_start_the_bot_names_services_whose_alerts_would_reach_nobody(
        local: LocalBot, world: World, caplog: pytest.LogCaptureFixture) -> None:
    def warned() -> bool:
        return any(r.levelno == logging.WARNING
                   and "no duty contact the bot can reach" in r.getMessage()
                   and world.service_name in r.getMessage() for r in caplog.records)

    await local.restart()
    assert warned()
    duty = await _duty(local, world)
    caplog.clear()
    await local.restart()
    assert not warned()
    person = await directory.person_by_telegram_id(local.runtime.db, duty.id)
    assert person is not None
    await directory.set_person_status(local.runtime.db, person.id, PersonStatus.BLOCKED,
                                      local.runtime.clock.now())
    caplog.clear()
    await local.restart()
    assert warned()


async def test_not_feeling_safe_is_heard(local: LocalBot, world: World) -> None:
    """A button answer can be a worry in itself: "Not often" to feeling safe. The person
    is asked at once whether they want someone to get in touch, the answer waits on the
    read list marked as such, and "Yes, please" asks the duty team to get in touch."""
    duty = await _duty(local, world)
    sam = await enrol(local, world, 1310, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good", "Not often")
    assert text("safety.ask", service=world.service_name) in sam.texts()
    db = local.runtime.db
    marked = await db.fetchone("SELECT risk, safety_answer, read_at FROM read_items")
    assert marked is not None and tuple(marked) == ("concern", 1, None)
    assert await db.scalar("SELECT COUNT(*) FROM alerts") == 0
    sam.press_label("Yes, please")
    await local.settle()
    assert text("talk.done", service=world.service_name) in sam.texts()
    assert (duty.last.text or "").startswith(text("alert.talk", name="Sam",
                                                  service=world.service_name, reference="A-1"))
    assert text("talk.after_answer", question=text("question.safe"),
                answer=text("choice.rarely")) in (duty.last.text or "")  # why they asked
    assert await db.scalar("SELECT kind FROM alerts") == "talk"


async def test_not_now_to_a_safety_answer_raises_nothing(local: LocalBot,
                                                         world: World) -> None:
    await _duty(local, world)
    sam = await enrol(local, world, 1312, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good", "Never")
    sam.press_label("Not now")
    await local.settle()
    assert text("safety.not_now_done") in sam.texts()
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM alerts") == 0
    assert await local.runtime.db.scalar(
        "SELECT COUNT(*) FROM read_items WHERE safety_answer = 1") == 1


async def test_feeling_safe_mostly_raises_nothing(local: LocalBot, world: World) -> None:
    await _duty(local, world)
    sam = await enrol(local, world, 1311, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good", "Mostly")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM alerts") == 0
