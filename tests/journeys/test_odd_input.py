"""Odd input gets a kind, clear reply, is logged, and loses nothing already said."""

from __future__ import annotations

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.storage import directory, events, staff_changes
from carebot.storage.db import from_db_time
from carebot.storage.models import EventKind, PersonStatus, Role
from tests.helpers import World, enrol


async def test_someone_not_enrolled(local: LocalBot, world: World) -> None:
    stranger = local.person(701, "Stranger")
    stranger.send_text("hello is this the council")
    stranger.send_media("photo")
    stranger.send_command("digest")
    stranger.send_command("start", "WRONGCODE")
    stranger.send_command("start")
    await stranger.wait_for_messages(5)
    assert stranger.texts() == [text("odd.not_enrolled")] * 3 + [
        text("start.bad_code"), text("start.no_code")]
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM people") == 0
    logged = await events.events_of_kind(local.runtime.db, EventKind.NOT_ENROLLED)
    assert len(logged) == 3 and all(row["detail"] is None for row in logged)


async def test_media_and_long_messages_from_a_person(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 702, "Sam")
    for kind in ("photo", "sticker", "voice", "video", "document", "location", "contact"):
        sam.send_media(kind)
    await local.settle()
    said = {key: text(key, service="Home Care East")
            for key in ("thanks.picture", "thanks.voice", "thanks.media")}
    assert sam.texts()[-7:] == [said["thanks.picture"], said["thanks.picture"],
                                said["thanks.voice"], said["thanks.media"],
                                said["thanks.picture"], said["thanks.media"], said["thanks.media"]]
    # Kept, each on the read list (issue 29): someone will look or listen.
    assert await local.runtime.db.scalar(
        "SELECT COUNT(*) FROM read_items WHERE media_id IS NOT NULL") == 7
    kinds = [row["detail"] for row in await events.events_of_kind(local.runtime.db,
                                                                     EventKind.MEDIA_RECEIVED)]
    assert kinds == ["photo", "sticker", "voice", "video", "document", "location", "contact"]
    long_words = ("The carers come late. " * 200)[:4096]
    sam.send_text(long_words)
    await local.settle()
    assert await local.runtime.db.scalar("SELECT text FROM issues") == long_words
    assert sam.texts()[-2:] == [text("odd.too_long"), text("feedback.kind")]


async def test_forged_buttons_and_a_code_used_twice(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 703, "Sam")
    for forged in ("a|999|0|good", "a|1|0|" + "x" * 30, "delete-everything", "k|1|refund",
                   "consent|maybe"):
        sam.press(sam.last, forged)
    await local.settle()
    answers = list(local.emulator.callback_answers.values())[-5:]
    assert all(a.get("text") == text("odd.unknown_button") for a in answers)
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM answers") == 0
    code = await local.runtime.db.scalar("SELECT invite_code FROM people")
    other = local.person(704, "Other")
    other.send_command("start", code)
    await other.wait_for_messages(1)
    assert other.texts() == [text("start.bad_code")]


async def test_staff_commands_need_the_right_role(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 705, "Sam")
    sam.send_command("digest")
    await local.settle()
    assert sam.texts()[-1] == text("odd.not_allowed")
    assert await events.events_of_kind(local.runtime.db, EventKind.NOT_AUTHORISED)


async def test_declining_consent_means_no_questions(local: LocalBot, world: World) -> None:
    pat = await enrol(local, world, 706, "Pat", agree=False)
    assert pat.texts()[-1] == text("consent.declined")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM schedules") == 0
    pat.send_text("actually, hello")
    await local.settle()
    assert pat.texts()[-1] == text("odd.stopped")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM issues") == 0


async def test_commissioner_typing_gets_help(local: LocalBot, world: World) -> None:
    alex = await enrol(local, world, 707, "Alex", role=Role.COMMISSIONER)
    alex.send_text("how do I get the report?")
    await local.settle()
    assert alex.texts()[-1] == text("help.commissioner")


async def test_coming_back_with_a_new_code_after_saying_no(local: LocalBot,
                                                           world: World) -> None:
    pat = await enrol(local, world, 708, "Pat", agree=False)
    pat.send_command("start")
    await local.settle()
    assert pat.texts()[-2] == text("start.welcome_back", name="Pat")
    assert "Is that OK?" in pat.texts()[-1]
    pat.press_label("Yes")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT status FROM people") == "active"
    # A new code from another service later moves them there, keeping their record.
    pat.send_command("stop")
    await local.settle()
    other = await directory.add_service(local.runtime.db, council_id=world.council_id,
                                        provider_id=world.provider_id, name="Day Centre",
                                        kind="day service", now=local.clock.now())
    code = await directory.create_invite(local.runtime.db, role=Role.PERSON,
                                         now=local.clock.now(), display_name="Pat",
                                         service_id=other.id)
    pat.send_command("start", code)
    await local.settle()
    assert "Day Centre" in pat.texts()[-1]
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM people") == 1
    assert await local.runtime.db.scalar("SELECT service_id FROM people") == other.id


async def test_a_person_who_blocked_the_bot_is_welcomed_back(local: LocalBot,
                                                             world: World) -> None:
    sam = await enrol(local, world, 709, "Sam")
    person_id = await local.runtime.db.scalar("SELECT id FROM people")
    consented = await local.runtime.db.scalar("SELECT consent_at FROM people")
    await directory.set_person_status(local.runtime.db, person_id, PersonStatus.BLOCKED,
                                      local.clock.now())
    sam.send_text("Sorry, I blocked you by mistake. The carers were late today.")
    await local.settle()
    assert sam.texts()[-1] == text("feedback.kind")
    assert await local.runtime.db.scalar("SELECT status FROM people") == "active"
    assert await local.runtime.db.scalar("SELECT consent_at FROM people") == consented


async def test_a_blocked_bot_is_recorded_not_retried(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 710, "Sam")
    sam.block_bot(tell_bot=False)  # the send below is what finds it out
    due = await local.runtime.db.scalar("SELECT next_due_at FROM schedules")
    local.clock.set(from_db_time(due))  # type: ignore[attr-defined]
    report = await local.tick()
    assert report.opened == 1 and report.sent == 0
    assert await local.runtime.db.scalar(
        "SELECT status FROM outbox WHERE purpose = 'checkin_start'") == "blocked"
    assert await local.runtime.db.scalar("SELECT status FROM people") == "blocked"
    assert (await local.tick()).sent == 0  # nothing is tried again
    sam.unblock_bot()
    sam.send_command("help")
    await local.settle()
    assert sam.texts()[-1] == text("help.person")
    assert await local.runtime.db.scalar("SELECT status FROM people") == "active"


async def test_when_the_database_fails_the_person_is_still_answered(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 760, "Sam")
    await local.runtime.db.close()  # as a full disk or a broken file would leave it
    sam.send_text("Nobody came today")
    await local.settle()
    assert sam.texts()[-1] == text("odd.our_fault")


async def test_a_tap_with_empty_data_is_a_forged_tap(local: LocalBot, world: World) -> None:
    # PTB hands a tap with empty data to every pattern's handler; each must see it is not
    # its kind (found by the fuzz in tests/faults/).
    sam = await enrol(local, world, 761, "Sam")
    sam.send_command("checkin")
    await local.settle()
    sam.press(sam.last, "")
    await local.settle()
    db = local.runtime.db
    assert await events.events_of_kind(db, EventKind.FORGED_BUTTON)
    assert await events.events_of_kind(db, EventKind.HANDLER_ERROR) == []


async def test_staff_an_admin_stopped_cannot_start_themselves_again(local: LocalBot,
                                                                    world: World) -> None:
    """/stop is the person's own, and /start undoes it; a pause or a leaving set by an
    admin (carebot people suspend, remove) is not undone from the chat."""
    dee = await enrol(local, world, 720, "Dee", role=Role.DUTY_CONTACT)
    person = await directory.person_by_telegram_id(local.runtime.db, 720)
    assert person is not None
    await staff_changes.stop_staff(local.runtime.db, person.id, local.clock.now())
    dee.send_command("start")
    await local.settle()
    assert dee.texts()[-1] == text("start.paused")
    dee.send_command("read")
    await local.settle()
    assert dee.texts()[-1] == text("start.paused")  # not "You asked me to stop"
    assert await local.runtime.db.scalar("SELECT status FROM people") == "stopped"
    assert await staff_changes.resume_staff(local.runtime.db, person.id)
    dee.send_command("read")
    await local.settle()
    assert dee.texts()[-1] != text("start.paused")
