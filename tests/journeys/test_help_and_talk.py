"""`/help` says what each role can do; "Talk to a person" reaches the duty contact."""

from __future__ import annotations

import pytest

from carebot.bot.handlers.help_and_talk import help_key
from carebot.bot.menu import STAFF
from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.storage import directory, events
from carebot.storage.models import EventKind, Role
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
        text("alert.talk.dealing"), text("alert.talk.contacted"), text("alert.message_them")]
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


async def test_staff_cannot_forget_and_nothing_is_deleted(local: LocalBot,
                                                          world: World) -> None:
    """A duty contact's name stays on every alert step they took, and alerts must keep
    reaching them: /forget is for people and carers only."""
    duty = await _duty_contact(local, world, 1013)
    duty.send_command("forget")
    await local.settle()
    assert duty.texts()[-1] == text("forget.staff")
    assert text("forget.ask") not in duty.texts()
    assert await events.events_of_kind(local.runtime.db, EventKind.DUTY_CONTACT_LEFT) == []
    refused = await events.events_of_kind(local.runtime.db, EventKind.NOT_AUTHORISED)
    assert [row["detail"] for row in refused] == ["/forget"]
    still = await directory.person_by_telegram_id(local.runtime.db, duty.id)
    assert still is not None and still.display_name == "Duty team"


@pytest.mark.parametrize("role", sorted(STAFF))
async def test_staff_asking_to_talk_raise_no_alert_and_hear_what_they_can_do(
        local: LocalBot, world: World, role: Role) -> None:
    """A duty contact's, backup's or any staff member's /talk would be an alert about
    themselves, climbing to the council's safeguarding lead: they get their help instead."""
    duty = await _duty_contact(local, world, 1020)
    backup = await enrol(local, world, 1021, "Backup", role=Role.DUTY_CONTACT)
    backup_person = await directory.person_by_telegram_id(local.runtime.db, backup.id)
    assert backup_person is not None
    await directory.set_backup_contact(local.runtime.db, world.service_id, backup_person.id)
    askers = [duty, backup] if role is Role.DUTY_CONTACT else [
        await enrol(local, world, 1022, "Kit", role=role)]
    duty_before = len(duty.inbox)
    for asker in askers:
        asker.send_command("talk")
    await local.settle()
    for asker in askers:
        assert asker.texts()[-1] == text("talk.staff", help=text(help_key(role)))
    db = local.runtime.db
    assert await db.scalar("SELECT COUNT(*) FROM alerts") == 0
    assert await events.events_of_kind(db, EventKind.TALK_REQUEST) == []
    assert len(duty.inbox) == duty_before + (1 if duty in askers else 0)


async def test_a_carer_may_ask_to_talk(local: LocalBot, world: World) -> None:
    duty = await _duty_contact(local, world, 1023)
    jo = await enrol(local, world, 1024, "Jo", role=Role.CARER)
    jo.send_command("talk")
    await local.settle()
    assert jo.texts()[-1] == text("talk.done", service=world.service_name)
    assert duty.texts()[-1] == text("alert.talk", name="Jo", service=world.service_name,
                                    reference="A-1")
