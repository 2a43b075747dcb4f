"""Nothing a person sends goes unread (issue 29): every kind of thing people and carers
send reaches their service's read list; /read shows it to the provider and the duty
contact, the most worrying first, with buttons that mark it read, raise a safeguarding
concern through the alert chain, raise a problem the person hears about, or say a flag
was not a concern; and what waits too long is passed on."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage import directory, read_list
from carebot.storage.audit import WORDS_SHOWN, audit_since
from carebot.storage.models import Role
from carebot.storage.read_list import Judgement
from tests.conftest import config_in
from tests.helpers import World, enrol, tap_through_checkin


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """As every test's, with the read list's morning messages and chasing on."""
    return replace(config_in(tmp_path), read_reminders=True)


WORRY = "Mum fell in the night and lay on the floor for hours."  # the tagger flags this
# Plain words the tagger does not flag, that a reader who knows the family may worry about.
QUIET_WORRY = "The new carer came at ten today and sent me home early."


async def _id(local: LocalBot, who: SimulatedPerson) -> int:
    person = await directory.person_by_telegram_id(local.runtime.db, who.id)
    assert person is not None
    return person.id


async def _duty(local: LocalBot, world: World, user_id: int = 5001) -> SimulatedPerson:
    duty = await enrol(local, world, user_id, "Dana", role=Role.DUTY_CONTACT)
    await directory.set_duty_contact(local.runtime.db, world.service_id, await _id(local, duty))
    return duty


async def _unread(local: LocalBot) -> int:
    return int(await local.runtime.db.scalar(
        "SELECT COUNT(*) FROM read_items WHERE read_at IS NULL"))


async def test_every_kind_of_thing_a_person_sends_reaches_the_read_list(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 5010, "Sam")
    jo = await enrol(local, world, 5011, "Jo", role=Role.CARER)
    # A check-in: a button answer with words after it, a safety answer, free text.
    await tap_through_checkin(local, sam, "Start", "Good", "Mostly")
    sam.send_text("they are always rushing")
    await local.settle()
    for kind in ("photo", "voice", "video", "document", "sticker", "location",
                 "video_note", "audio"):
        sam.send_media(kind)
    sent = jo.send_text("The carer was late again today.")
    jo.send_media("photo", caption="The hoist is broken")
    jo.send_voice(duration=9)
    await local.settle()
    jo.edit(sent, "The carer was late again today and mum fell.")
    await local.settle()
    db = local.runtime.db
    missing = await db.scalar(
        "SELECT (SELECT COUNT(*) FROM answers WHERE (text IS NOT NULL OR media_file_id IS NOT "
        "NULL) AND id NOT IN (SELECT answer_id FROM read_items WHERE answer_id IS NOT NULL)) "
        "+ (SELECT COUNT(*) FROM issues WHERE id NOT IN "
        "(SELECT issue_id FROM read_items WHERE issue_id IS NOT NULL)) "
        "+ (SELECT COUNT(*) FROM edits WHERE id NOT IN "
        "(SELECT edit_id FROM read_items WHERE edit_id IS NOT NULL)) "
        "+ (SELECT COUNT(*) FROM media_messages WHERE id NOT IN "
        "(SELECT media_id FROM read_items WHERE media_id IS NOT NULL))")
    assert missing == 0
    kept = await db.fetchone(
        "SELECT (SELECT COUNT(*) FROM media_messages) AS media, "
        "(SELECT COUNT(*) FROM edits) AS edits, (SELECT COUNT(*) FROM issues) AS issues")
    # Sam's first two answer the check-in's two questions asking for words (issue 32);
    # his other six, and Jo's voice note, are kept on their own.
    assert kept is not None and tuple(kept) == (7, 1, 2)
    assert await db.scalar("SELECT COUNT(*) FROM answers WHERE media_file_id IS NOT NULL "
                           "AND text IS NULL") == 2
    assert await _unread(local) == await db.scalar("SELECT COUNT(*) FROM read_items") >= 13
    # Every item is at the service the sender belongs to.
    assert await db.scalar("SELECT COUNT(DISTINCT service_id) FROM read_items") == 1


async def test_read_shows_the_most_worrying_first_and_marks_what_is_judged(
        local: LocalBot, world: World) -> None:
    provider = await enrol(local, world, 5020, "Pat", role=Role.PROVIDER)
    sam = await enrol(local, world, 5021, "Sam")
    sam.send_text("The carers are lovely and always on time.")
    await local.settle()
    sam.send_text(WORRY)
    await local.settle()
    provider.send_command("read")
    await local.settle()
    shown = provider.texts()
    header = shown.index(text("read.header", count=2))
    assert shown[header + 1].startswith("From Sam") and WORRY in shown[header + 1]
    assert "carebot thinks this may be a worry" in shown[header + 1]
    assert "lovely" in shown[header + 2]
    # Who was shown whose words is in the audit log, by name.
    shown_to = [(e.who, e.what, e.about) for e in await audit_since(
        local.runtime.db, local.clock.now() - timedelta(days=1)) if e.what == WORDS_SHOWN]
    assert shown_to == [("Pat (provider)", WORDS_SHOWN, "Sam")] * 2
    flagged = [m for m in provider.chat.messages if WORRY in (m.text or "")][-1]
    assert [b["text"] for b in flagged.buttons()] == [
        "Read", "Safeguarding concern", "Raise as a problem", "Not a concern"]
    said = local.emulator.callback_answers  # what a tap's answer showed on screen
    tapped = provider.press_label("Not a concern", flagged)
    await local.settle()
    assert said[tapped]["text"] == text("read.done_not_concern") and not flagged.buttons()
    tapped = provider.press_label("Mark these as read")
    await local.settle()
    assert said[tapped]["text"] == text("read.marked", count=1)  # only the one not flagged
    assert await _unread(local) == 0
    judged = {r.words: r.judgement for r in await read_list.reviews(local.runtime.db)}
    assert judged == {WORRY: Judgement.NOT_A_CONCERN,
                      "The carers are lovely and always on time.": Judgement.NO_CONCERN}
    provider.send_command("read")
    await local.settle()
    assert provider.texts()[-1] == text("read.none")


async def test_a_reader_raises_a_concern_through_the_alert_chain(local: LocalBot,
                                                                 world: World) -> None:
    duty = await _duty(local, world)
    provider = await enrol(local, world, 5030, "Pat", role=Role.PROVIDER)
    jo = await enrol(local, world, 5031, "Jo", role=Role.CARER)
    jo.send_text(QUIET_WORRY)
    await local.settle()
    db = local.runtime.db
    assert await db.scalar("SELECT COUNT(*) FROM alerts") == 0
    provider.send_command("read")
    await local.settle()
    provider.press_label("Safeguarding concern")
    await local.settle()
    assert provider.texts()[-1] == text("read.ask_concern")
    provider.send_text("A carer may be taking her money.")
    await local.settle()
    provider.press_label("Send it")
    await local.settle()
    alert = await db.fetchone("SELECT id, level, evidence FROM alerts ORDER BY id DESC")
    assert alert is not None and await db.scalar("SELECT COUNT(*) FROM alerts") == 1
    assert alert["evidence"] == text("alert.part.reader_concern", name="Pat",
                                     note="A carer may be taking her money")
    assert provider.texts()[-1] == text("read.concern_raised", reference=f"A-{alert['id']}",
                                        service=world.service_name)
    told = duty.last.text or ""
    assert QUIET_WORRY in told and "A carer may be taking her money" in told
    assert [r.worrying for r in await read_list.reviews(db)] == [True]


async def test_a_reader_raises_a_problem_and_the_person_hears(local: LocalBot,
                                                              world: World) -> None:
    provider = await enrol(local, world, 5040, "Pat", role=Role.PROVIDER)
    sam = await enrol(local, world, 5041, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good")
    sam.send_voice(duration=30)
    await local.settle()
    provider.send_command("read")
    await local.settle()
    assert any(copy.kind == "voice" for copy in provider.received("voice"))
    assert text("read.sent_media", what=text("media.voice")) in provider.texts()[-3]
    provider.press_label("Raise as a problem")
    await local.settle()
    issue = await local.runtime.db.fetchone("SELECT reference, kind, raised_by_id FROM issues")
    assert issue is not None and issue["kind"] == "problem"
    assert issue["raised_by_id"] == await _id(local, sam)
    assert provider.texts()[-1] == text("read.problem_raised", reference=issue["reference"],
                                        name="Sam")
    assert text("read.problem_for_person", service=world.service_name,
                reference=issue["reference"]) in sam.texts()
    assert await _unread(local) == 0  # the item, and the problem made from it


async def test_a_reader_sees_only_their_own_services(local: LocalBot, world: World) -> None:
    db = local.runtime.db
    now = local.runtime.clock.now()
    other = await directory.add_service(db, council_id=world.council_id,
                                        provider_id=world.provider_id, name="Day Centre West",
                                        kind="day service", now=now)
    sam = await enrol(local, world, 5050, "Sam")
    sam.send_text("The lunch was cold.")
    await local.settle()
    duty = await enrol(local, world, 5051, "Dana", role=Role.DUTY_CONTACT)
    await directory.set_duty_contact(db, other.id, await _id(local, duty))
    await db.execute("UPDATE people SET service_id = ? WHERE id = ?",
                     (other.id, await _id(local, duty)))
    duty.send_command("read")
    await local.settle()
    assert duty.texts()[-1] == text("read.none")
    item = await db.scalar("SELECT id FROM read_items")
    duty.press(duty.last, f"r|{item}|read")
    await local.settle()
    assert await _unread(local) == 1  # a tap on someone else's item is refused


async def test_what_waits_too_long_is_passed_on(local: LocalBot, world: World,
                                                clock: SimulatedClock) -> None:
    duty = await _duty(local, world)
    lead = await enrol(local, world, 5061, "Cass", role=Role.COMMISSIONER)
    sam = await enrol(local, world, 5062, "Sam")
    sam.send_text("The lunch was cold again.")
    await local.settle()
    clock.advance(timedelta(hours=25))
    await local.tick()
    await local.settle()
    overdue = text("read.overdue", service=world.service_name, hours=24, count=1)
    assert overdue in duty.texts()
    assert not any("nobody has read" in t for t in lead.texts())
    lead.send_command("read")  # a commissioner sees only what waited twice as long
    await local.settle()
    assert lead.texts()[-1] == text("read.none")
    clock.advance(timedelta(hours=24))
    await local.tick()
    await local.settle()
    assert any(t.startswith("Messages at Home Care East that nobody has read for more than "
                            "48 hours: 1.") for t in lead.texts())
    await local.tick()
    await local.settle()
    assert duty.texts().count(overdue) == 1  # told once
    lead.send_command("read")
    await local.settle()
    assert any("The lunch was cold again." in t for t in lead.texts()[-3:])


async def test_each_reader_hears_each_morning_how_many_wait(local: LocalBot, world: World,
                                                            clock: SimulatedClock) -> None:
    provider = await enrol(local, world, 5070, "Pat", role=Role.PROVIDER)
    sam = await enrol(local, world, 5071, "Sam")
    sam.send_text("Can I have a later visit on Sundays?")
    sam.send_text("The new carer is very kind.")
    await local.settle()
    morning = clock.now().replace(hour=9, minute=0) + timedelta(days=1)
    clock.advance(morning - clock.now())
    await local.tick()
    await local.settle()
    await local.tick()
    await local.settle()
    said = text("read.morning", count=2)
    assert provider.texts().count(said) == 1


async def test_what_a_provider_may_not_see_waits_for_the_duty_contact(
        local: LocalBot, world: World) -> None:
    """Words that may accuse the provider's staff (as /issues holds them back) and an
    answer saying someone does not feel safe with the people who support them are read
    by the duty contact, not the provider; and flagged items are never marked read with
    a page."""
    duty = await _duty(local, world)
    provider = await enrol(local, world, 5080, "Pat", role=Role.PROVIDER)
    sam = await enrol(local, world, 5081, "Sam")
    sam.send_text("My carer hit me when I would not get dressed.")
    await local.settle()
    await tap_through_checkin(local, sam, "Start", "Good", "Never")
    provider.send_command("read")
    await local.settle()
    assert provider.texts()[-1] == text("read.none")
    item = await local.runtime.db.scalar("SELECT id FROM read_items WHERE safety_answer = 1")
    provider.press(provider.last, f"r|{item}|not_concern")  # forged: not theirs to judge
    await local.settle()
    assert await _unread(local) == 2
    duty.send_command("read")
    await local.settle()
    shown = duty.texts()
    assert any("hit me" in t for t in shown) and any("This answer may be a worry" in t
                                                      for t in shown)
    assert duty.texts()[-1] == text("read.each_its_own")  # no button to mark them all
    assert not any(b["text"] == text("read.button.page") for b in duty.last.buttons())


async def test_reading_a_message_tells_the_person_it_was_seen(local: LocalBot,
                                                              world: World) -> None:
    provider = await enrol(local, world, 5100, "Pat", role=Role.PROVIDER)
    jo = await enrol(local, world, 5101, "Jo", role=Role.CARER)
    jo.send_text("Could the visits be a bit later on Sundays?")
    await local.settle()
    jo.press_label("An idea")
    await local.settle()
    provider.send_command("read")
    await local.settle()
    provider.press_label("Mark these as read")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT status FROM issues") == "seen"
    assert jo.texts()[-1] == "Sunrise Care has read your idea CB-1001."


async def test_a_concern_about_words_already_alerted_joins_that_alert(local: LocalBot,
                                                                      world: World) -> None:
    duty = await _duty(local, world)
    provider = await enrol(local, world, 5090, "Pat", role=Role.PROVIDER)
    sam = await enrol(local, world, 5091, "Sam")
    sam.send_text(WORRY)
    await local.settle()
    db = local.runtime.db
    alert_id = await db.scalar("SELECT id FROM alerts")
    provider.send_command("read")
    await local.settle()
    provider.press_label("Safeguarding concern")
    await local.settle()
    provider.send_text("I know Sam. Please ring the family too.")
    await local.settle()
    provider.press_label("Send it")
    await local.settle()
    assert provider.texts()[-1] == text("read.concern_known", reference=f"A-{alert_id}")
    assert await db.scalar("SELECT COUNT(*) FROM alerts") == 1
    assert await db.scalar("SELECT note FROM alert_updates WHERE what = 'note'") == (
        "I know Sam. Please ring the family too.")
    assert duty.texts()[-1] == text("read.note_to_holder", name="Pat",
                                    reference=f"A-{alert_id}",
                                    note="I know Sam. Please ring the family too.")
