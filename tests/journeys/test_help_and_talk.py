"""`/help` says what each role can do; "Talk to a person" reaches the duty contact."""

from __future__ import annotations

from conversations.texts import text
from emulator.harness import LocalBot
from emulator.people import SimulatedPerson
from storage import directory, events
from storage.models import EventKind, Role
from tests.helpers import World, enrol


async def test_help_fits_the_role(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 1001, "Sam")
    jo = await enrol(local, world, 1002, "Jo", role=Role.CARER)
    alex = await enrol(local, world, 1003, "Alex", role=Role.COMMISSIONER)
    stranger = local.person(1004, "Stranger")
    for who in (sam, jo, alex, stranger):
        who.send_command("help")
    await local.settle()
    assert sam.texts()[-1] == text("help.person")
    assert jo.texts()[-1] == text("help.carer")
    assert alex.texts()[-1] == text("help.commissioner")
    assert stranger.texts()[-1] == text("start.no_code")


async def test_talk_to_a_person_tells_the_duty_contact(local: LocalBot, world: World) -> None:
    duty = await enrol(local, world, 1005, "Duty team", role=Role.DUTY_CONTACT)
    duty_person = await directory.person_by_telegram_id(local.runtime.db, duty.id)
    assert duty_person is not None
    await directory.set_duty_contact(local.runtime.db, world.service_id, duty_person.id)
    sam = await enrol(local, world, 1006, "Sam")
    sam.send_command("talk")
    await local.settle()
    assert sam.texts()[-1] == text("talk.done", service=world.service_name)
    # At once, not at the next tick: nobody asking for a person should wait for a timer.
    assert duty.texts()[-1] == text("alert.talk", name="Sam", service=world.service_name,
                                    reference="A-1")
    assert [b["text"] for b in duty.last.buttons()] == [
        text("alert.dealing"), text("alert.contacted"), text("alert.not_a_concern")]
    assert len(await events.events_of_kind(local.runtime.db, EventKind.TALK_REQUEST)) == 1


async def test_talk_with_nobody_to_tell_promises_nothing(local: LocalBot,
                                                         world: World) -> None:
    sam = await enrol(local, world, 1007, "Sam")  # the service has no duty contact
    sam.send_command("talk")
    await local.settle()
    assert sam.texts()[-1] == text("talk.no_contact", service=world.service_name)
    assert text("talk.done", service=world.service_name) not in sam.texts()
    assert len(await events.events_of_kind(local.runtime.db, EventKind.TALK_REQUEST)) == 1


async def _duty_contact(local: LocalBot, world: World, user_id: int) -> SimulatedPerson:
    duty = await enrol(local, world, user_id, "Duty team", role=Role.DUTY_CONTACT)
    duty_person = await directory.person_by_telegram_id(local.runtime.db, duty.id)
    assert duty_person is not None
    await directory.set_duty_contact(local.runtime.db, world.service_id, duty_person.id)
    return duty


async def test_asking_again_and_again_sends_one_notice_a_day(local: LocalBot,
                                                             world: World) -> None:
    duty = await _duty_contact(local, world, 1010)
    sam = await enrol(local, world, 1011, "Sam")
    before = len(duty.inbox)
    for _ in range(5):
        sam.send_command("talk")
    await local.settle()
    assert len(duty.inbox) == before + 1
    assert sam.texts()[-5:] == [text("talk.done", service=world.service_name)] + [
        text("talk.already", service=world.service_name)] * 4


async def test_a_duty_contact_who_stops_is_told_and_the_admin_too(
        local: LocalBot, world: World) -> None:
    duty = await _duty_contact(local, world, 1012)
    duty.send_command("stop")
    await local.settle()
    assert duty.texts()[-2:] == [text("stop.done"),
                                 text("duty.leaving", services=world.service_name)]
    left = await events.events_of_kind(local.runtime.db, EventKind.DUTY_CONTACT_LEFT)
    assert [row["detail"] for row in left] == [world.service_name]


async def test_a_duty_contact_is_warned_before_forgetting_and_no_is_no(
        local: LocalBot, world: World) -> None:
    duty = await _duty_contact(local, world, 1013)
    duty.send_command("forget")
    await local.settle()
    assert duty.texts()[-2:] == [text("duty.leaving", services=world.service_name),
                                 text("forget.ask")]
    duty.press_label(text("forget.no"))
    await local.settle()
    assert await events.events_of_kind(local.runtime.db, EventKind.DUTY_CONTACT_LEFT) == []
