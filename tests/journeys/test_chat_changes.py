"""What real people do to the chat itself, which the first emulator never did: block and
unblock the bot (Telegram says so at once, in a `my_chat_member` update: the emulator's
`block_bot` and `unblock_bot` send it), pin a message,
set an auto-delete timer, and change a command after it ran."""

from __future__ import annotations

from datetime import timedelta

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.settings.clock import SimulatedClock
from carebot.storage import directory
from carebot.storage.models import PersonStatus, Role
from tests.helpers import World, enrol

WORRY = "Mum has bruises on her arms, someone grabbed her and she is bleeding."  # urgent


async def _status(local: LocalBot, who: SimulatedPerson) -> PersonStatus:
    person = await directory.person_by_telegram_id(local.runtime.db, who.id)
    assert person is not None
    return person.status


def _alerts_to(who: SimulatedPerson) -> list[str]:
    return [t for t in who.texts() if "A-" in t and "check on" in t]


async def test_a_duty_contact_who_unblocks_without_writing_gets_alerts_again(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    db = local.runtime.db
    duty = await enrol(local, world, 4101, "Dana", role=Role.DUTY_CONTACT)
    backup = await enrol(local, world, 4102, "Ben", role=Role.DUTY_CONTACT)
    for who, setter in ((duty, directory.set_duty_contact), (backup, directory.set_backup_contact)):
        person = await directory.person_by_telegram_id(db, who.id)
        assert person is not None
        await setter(db, world.service_id, person.id)
    duty.block_bot()
    await local.settle()
    assert await _status(local, duty) is PersonStatus.BLOCKED, "marked at once"

    jo = await enrol(local, world, 4110, "Jo", role=Role.CARER)
    jo.send_text(WORRY)
    await local.settle()
    assert len(_alerts_to(backup)) == 1 and not _alerts_to(duty)

    duty.unblock_bot()
    await local.settle()
    assert await _status(local, duty) is PersonStatus.ACTIVE
    clock.advance(timedelta(hours=1))
    jo.send_text("Someone hit Mum again today and she is scared of them.")
    await local.settle()
    assert len(_alerts_to(duty)) == 1, "the next alert reaches the duty contact first"
    assert duty.texts()[-1] == _alerts_to(duty)[0]


async def test_someone_who_stopped_stays_stopped_after_blocking_and_unblocking(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 4120, "Sam")
    sam.send_command("stop")
    await local.settle()
    stopped = await _status(local, sam)
    assert stopped is PersonStatus.STOPPED
    sam.block_bot()
    sam.unblock_bot()
    await local.settle()
    assert await _status(local, sam) is PersonStatus.STOPPED


async def test_a_pin_or_a_timer_is_not_answered(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 4130, "Sam")
    before = len(sam.inbox)
    pinned = local.emulator.message_json(sam.inbox[-1])
    local.emulator.user_message(sam.user, pinned_message=pinned)
    local.emulator.user_message(sam.user, message_auto_delete_timer_changed={
        "message_auto_delete_time": 86400})
    await local.settle()
    assert len(sam.inbox) == before, sam.texts()[before:]
    kept = await local.runtime.db.fetchone("SELECT COUNT(*) AS n FROM issues")
    assert kept is not None and kept["n"] == 0


async def test_a_changed_command_is_not_run_again(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 4140, "Sam")
    sent = sam.send_command("checkin")
    await local.settle()
    asked = len(sam.inbox)
    sam.edit(sent, "/checkin ")
    await local.settle()
    assert sam.texts()[asked:] == [text("odd.edited_command")]
    checkins = await local.runtime.db.fetchone("SELECT COUNT(*) AS n FROM checkins")
    assert checkins is not None and checkins["n"] == 1
