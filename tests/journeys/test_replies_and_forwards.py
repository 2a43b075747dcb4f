"""What people really do in Telegram (issue 27): reply to an earlier message of the bot's,
and forward someone else's message.

A reply to an earlier check-in question answers that question, not the one waiting; a
reply to a message that asks nothing is new feedback, and the person is told so. A
forwarded message is kept as feedback the person passed on: read like any words (a
threat passed on raises an alert, which says it was forwarded), never a check-in answer.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BOT_USER, BotMessage
from carebot.settings.clock import SimulatedClock
from carebot.storage import checkins, directory
from carebot.storage.db import Database
from carebot.storage.models import CheckInStatus, Role
from tests.conftest import START
from tests.helpers import World, enrol, joined, small_world, tap_through_checkin

OVERALL = "Overall, how was your experience of Home Care East?"


def _sent(local: LocalBot, person: SimulatedPerson, starts: str) -> BotMessage:
    """The newest message the bot sent the person that starts with `starts`."""
    return next(m for m in reversed(person.inbox) if (m.text or "").startswith(starts))


def _reply(local: LocalBot, person: SimulatedPerson, to: BotMessage, words: str) -> None:
    """Telegram's reply: the person's message carries the message it replies to."""
    quoted = {"message_id": to.message_id, "from": BOT_USER, "date": to.date,
              "chat": {"id": person.id, "type": "private", "first_name": person.user["first_name"]},
              "text": to.text or ""}
    local.emulator.user_message(person.user, text=words, reply_to_message=quoted)


def _forward(local: LocalBot, person: SimulatedPerson, words: str,
             origin: dict[str, Any]) -> None:
    local.emulator.user_message(person.user, text=words, forward_origin={
        "date": int(local.clock.now().timestamp()) - 3600, **origin})


async def _answers(local: LocalBot) -> list[tuple[str, str | None, str | None]]:
    rows = await local.runtime.db.fetchall(
        "SELECT question_key, choice, text FROM answers ORDER BY id")
    return [(r["question_key"], r["choice"], r["text"]) for r in rows]


async def _duty(local: LocalBot, world: World) -> SimulatedPerson:
    duty = await enrol(local, world, 2701, "Duty team", role=Role.DUTY_CONTACT)
    person = await directory.person_by_telegram_id(local.runtime.db, duty.id)
    assert person is not None
    await directory.set_duty_contact(local.runtime.db, world.service_id, person.id)
    return duty


async def test_a_reply_to_an_earlier_question_answers_that_question(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2711, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good")
    waiting = sam.last
    assert waiting.buttons() and waiting.text != OVERALL
    _reply(local, sam, _sent(local, sam, OVERALL), "Actually it was bad, they were late")
    await local.settle()
    assert sam.texts()[-1] == (text("checkin.reply_kept", question=OVERALL) + "\n\n"
                               + text("checkin.reply_still_waiting",
                                      question=str(waiting.text)))
    # Kept with the answer it replies to; the tapped choice stays as it was tapped.
    assert await _answers(local) == [("fft", "good", "Actually it was bad, they were late")]
    risk = await local.runtime.db.scalar(
        "SELECT value FROM tags WHERE kind = 'sentiment' AND answer_id = "
        "(SELECT id FROM answers WHERE question_key = 'fft')")
    assert risk == "negative"  # the words are read as any typed answer is
    # The question waiting still waits, and the next words answer it.
    assert waiting.buttons()
    sam.press(waiting, waiting.buttons()[0]["callback_data"])
    await local.settle()
    kept = await _answers(local)
    assert len(kept) == 2 and kept[1][0] != "fft" and kept[1][1] is not None
    assert "You said" in (waiting.text or "")


async def test_a_second_reply_is_kept_beside_the_first_words(local: LocalBot,
                                                             world: World) -> None:
    sam = await enrol(local, world, 2712, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good")
    overall = _sent(local, sam, OVERALL)
    _reply(local, sam, overall, "They were late on Monday.")
    await local.settle()
    _reply(local, sam, overall, "And on Tuesday nobody came at all.")
    await local.settle()
    assert sam.texts()[-1].startswith(text("checkin.reply_kept_again", question=OVERALL))
    # The first words never change; the new ones are a new version of that answer.
    assert await _answers(local) == [("fft", "good", "They were late on Monday.")]
    edit = await local.runtime.db.fetchone(
        "SELECT e.text, a.question_key FROM edits e JOIN answers a ON a.id = e.answer_id")
    assert edit is not None
    assert (edit["text"], edit["question_key"]) == ("And on Tuesday nobody came at all.", "fft")


async def test_a_reply_to_a_question_of_a_finished_checkin_answers_it(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 2713, "Sam")
    await tap_through_checkin(local, sam, "Start", "Very good", "Mostly", "Mostly",
                              "No thanks", "No thanks")
    assert sam.texts()[-1].startswith("Thank you. Your answers go to")
    clock.advance(timedelta(hours=3))
    _reply(local, sam, _sent(local, sam, OVERALL), "I said very good but the new carer is rude.")
    await local.settle()
    assert sam.texts()[-1] == text("checkin.reply_kept", question=OVERALL)  # nothing waits
    assert (await _answers(local))[0] == ("fft", "very_good",
                                          "I said very good but the new carer is rude.")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM issues") == 0


async def test_a_reply_to_a_question_long_closed_is_new_feedback(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 2714, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good", "Mostly", "Mostly",
                              "No thanks", "No thanks")
    clock.advance(timedelta(days=8))
    _reply(local, sam, _sent(local, sam, OVERALL), "It has gone downhill since then.")
    await local.settle()
    assert sam.texts()[-1] == (text("checkin.reply_closed") + "\n\n" + text("feedback.kind"))
    assert await local.runtime.db.scalar("SELECT text FROM issues") == (
        "It has gone downhill since then.")
    assert all(t is None for _, _, t in await _answers(local))


async def test_a_reply_to_a_message_that_asks_nothing_is_new_feedback(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2715, "Sam")
    welcome = sam.last  # "Thank you, Sam. I will send your first check-in on …"
    await tap_through_checkin(local, sam, "Start", "Good")
    waiting = sam.last
    _reply(local, sam, welcome, "The office never answers the phone.")
    await local.settle()
    assert sam.texts()[-1] == text("feedback.reply_new") + "\n\n" + text("feedback.kind")
    assert sam.last.buttons()  # what kind it is
    assert await local.runtime.db.scalar("SELECT text FROM issues") == (
        "The office never answers the phone.")
    assert await _answers(local) == [("fft", "good", None)]  # not the waiting answer
    assert waiting.buttons()  # still waiting


async def test_a_reply_to_the_question_waiting_answers_it(local: LocalBot,
                                                          world: World) -> None:
    sam = await enrol(local, world, 2716, "Sam")
    await tap_through_checkin(local, sam, "Start")
    _reply(local, sam, _sent(local, sam, OVERALL), "good")
    await local.settle()
    assert await _answers(local) == [("fft", "good", "good")]
    assert "You said" in (_sent(local, sam, OVERALL).text or "")


async def test_a_forwarded_threat_is_kept_as_passed_on_and_alerts(
        local: LocalBot, world: World) -> None:
    duty = await _duty(local, world)
    sam = await enrol(local, world, 2717, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good")
    waiting = sam.last
    words = "The carer slapped Mum again today when she would not get dressed. She is bleeding."
    _forward(local, sam, words, {"type": "user", "sender_user": {
        "id": 99, "is_bot": False, "first_name": "Alex", "last_name": "Stone"}})
    await local.settle()
    # Never the answer to the question waiting.
    assert await _answers(local) == [("fft", "good", None)]
    assert waiting.buttons()
    issue = await local.runtime.db.fetchone(
        "SELECT id, text, kind, forwarded, forwarded_from FROM issues")
    assert issue is not None
    assert (issue["text"], issue["forwarded"], issue["forwarded_from"]) == (
        words, 1, "Alex Stone")
    told = sam.texts()[-1]
    assert text("feedback.forwarded", origin="Alex Stone") in told
    assert told.startswith(text("alert.person", service=world.service_name))  # safety first
    # A threat passed on is still a worry: the alert says whose words they are.
    alert = duty.texts()
    assert any(f'Sam forwarded a message from Alex Stone: "{words}"' in a for a in alert)
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM alerts") == 1

    sam.send_command("mydata")
    await local.settle()
    _, content = sam.last.document or ("", b"")
    held = json.loads(content)
    assert held["messages"][0]["passed_on"] == 1
    assert held["messages"][0]["passed_on_from"] == "Alex Stone"

    sam.send_command("forget")
    await local.settle()
    sam.press_label("Yes")
    await local.settle()
    gone = await local.runtime.db.fetchone("SELECT text, forwarded, forwarded_from FROM issues")
    assert gone is not None
    assert (gone["forwarded"], gone["forwarded_from"]) == (1, None)
    assert "slapped" not in gone["text"]


async def test_a_forward_from_a_hidden_sender_tells_staff_it_was_passed_on(
        local: LocalBot, world: World) -> None:
    kit = await enrol(local, world, 2718, "Kit", role=Role.PROVIDER)
    sam = await enrol(local, world, 2719, "Sam")
    _forward(local, sam, "Your visit today is cancelled. No carer is free.",
             {"type": "hidden_user", "sender_user_name": "Rota Desk"})
    await local.settle()
    assert sam.texts()[-1] == (text("feedback.forwarded", origin="Rota Desk") + "\n\n"
                               + text("feedback.kind"))
    sam.press_label("A problem")
    await local.settle()
    notice = kit.texts()[-1]
    assert "from Sam, passing on words from Rota Desk" in notice
    assert await local.runtime.db.scalar("SELECT forwarded_from FROM issues") == "Rota Desk"


async def test_a_reply_to_staff_still_reaches_them_and_one_to_a_question_does_not(
        local: LocalBot, world: World) -> None:
    """bot/handlers/relay.py: while a member of staff talks with the person about an alert,
    a reply to their message goes to them even while a check-in question waits; a reply
    to an earlier question answers that question instead."""
    duty = await _duty(local, world)
    sam = await enrol(local, world, 2720, "Sam")
    sam.send_text("My carer hit me this morning and I am scared.")
    await local.settle()
    duty.press_label("Message them here")
    await local.settle()
    duty.send_text("Are you safe now? Can I ring you at 3?")
    await local.settle()
    duty.press_label("Send it")
    await local.settle()
    from_staff = _sent(local, sam, "A message from Duty team")
    await tap_through_checkin(local, sam, "Start", "Good")
    waiting = sam.last
    _reply(local, sam, from_staff, "Yes, 3 is fine.")
    await local.settle()
    assert sam.texts()[-1] == text("alert.reply_passed", staff="Duty team")
    assert "Yes, 3 is fine." in duty.texts()[-1]
    _reply(local, sam, _sent(local, sam, OVERALL), "The new carer is kind.")
    await local.settle()
    assert sam.texts()[-1].startswith(text("checkin.reply_kept", question=OVERALL))
    assert "The new carer is kind." not in duty.texts()[-1]
    assert await _answers(local) == [("fft", "good", "The new carer is kind.")]
    assert waiting.buttons()


async def test_question_messages_are_kept_for_the_last_three_checkins(db: Database) -> None:
    """Each message that shows a question is found again by its id, with its step; a
    person's fourth check-in lets the first one's go (a reply to it is new feedback)."""
    world = await small_world(db, START)
    sam = await joined(db, world, START, telegram_user_id=2730, role=Role.PERSON)
    made = []
    for week in range(4):
        checkin = await checkins.open_checkin_now(
            db, person_id=sam.id, service_id=world.service_id, questions="fft,safe",
            now=START + timedelta(days=7 * week))
        assert checkin is not None
        made.append(checkin.id)
        await checkins.mark_checkin_sent(db, checkin.id, 100 * week + 1, START)
        assert await checkins.start_checkin(db, checkin.id, None)
        await checkins.set_question_message(db, checkin.id, 100 * week + 2)
        await checkins.close_checkin(db, checkin.id, CheckInStatus.EXPIRED)
    assert await checkins.shown_in(db, sam.id, 1) is None  # the first check-in's hello
    hello = await checkins.shown_in(db, sam.id, 301)
    question = await checkins.shown_in(db, sam.id, 302)
    assert hello is not None and (hello.checkin.id, hello.step) == (made[3], 0)
    assert question is not None and (question.checkin.id, question.step) == (made[3], 1)
    assert await checkins.shown_in(db, sam.id, 102) is not None
    assert await checkins.shown_in(db, sam.id + 1, 302) is None  # another person's chat


async def test_the_bots_own_message_forwarded_back_is_not_kept(local: LocalBot,
                                                               world: World) -> None:
    """Its words are the bot's: kept as the person's, its "call 999" would raise an alert."""
    await _duty(local, world)
    sam = await enrol(local, world, 2721, "Sam")
    words = text("alert.person", service=world.service_name)
    _forward(local, sam, words, {"type": "user", "sender_user": BOT_USER})
    await local.settle()
    assert sam.texts()[-1] == text("odd.own_message")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM issues") == 0
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM alerts") == 0
