"""A check-in end to end through the emulator: enrol, schedule, answer, stop half-way."""

from __future__ import annotations

from datetime import timedelta

from carebot.bot.jobs import open_due_checkins
from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.settings.clock import SimulatedClock
from carebot.storage import checkins, outbox, tags
from carebot.storage.db import from_db_time
from carebot.storage.models import CheckInStatus
from tests.helpers import World, buttons_data, enrol


async def _until_due(local: LocalBot, clock: SimulatedClock) -> None:
    """Move the clock to the newest person's next check-in time."""
    due = await local.runtime.db.scalar("SELECT MIN(next_due_at) FROM schedules")
    clock.set(from_db_time(due))


async def test_enrolment_asks_consent_then_schedules(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 501, "Sam")
    assert "Is that OK?" in sam.texts()[0]
    assert "Home Care East" in sam.texts()[0]
    assert sam.texts()[-1].startswith("Thank you, Sam. I will send your first check-in on")
    person = await local.runtime.db.fetchone("SELECT id, status, consent_at FROM people")
    assert person is not None and person["status"] == "active" and person["consent_at"]
    schedule = await checkins.schedule_of(local.runtime.db, person["id"])
    assert schedule is not None and schedule.next_due_at > local.clock.now()


async def test_full_checkin_is_stored_and_tagged(local: LocalBot, world: World,
                                                 clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 502, "Sam")
    await _until_due(local, clock)
    report = await local.tick()
    assert report.opened == 1 and report.sent == 1
    hello = sam.last
    assert hello.text == ("Hello Sam. It is time for your check-in about Home Care East from "
                          "Sunrise Care. It takes about a minute.")
    assert [b["text"] for b in hello.buttons()] == [
        "Start", "Someone is helping me", "Not now", "Talk to a person"]
    sam.press_label("Start")
    await local.settle()
    assert sam.last.text == "Overall, how was your experience of Home Care East?"
    assert len(sam.last.buttons()) == 8  # five faces, Don't know, Skip, Talk to a person
    sam.press_label("Very good")
    await local.settle()
    assert "You said: 😀 Very good" in (sam.inbox[-2].text or "")
    sam.press_label("Mostly")
    await local.settle()
    sam.press_label("Skip")
    await local.settle()
    sam.send_text("The carers are lovely and kind, but they are always late.")
    await local.settle()
    assert "anything else" in (sam.last.text or "")
    sam.press_label("No thanks")
    await local.settle()
    assert sam.texts()[-1].startswith("Thank you. Your answers go to")
    rows = await local.runtime.db.fetchall(
        "SELECT id, question_key, choice, text, skipped FROM answers ORDER BY id")
    plan = await local.runtime.db.scalar("SELECT questions FROM checkins")
    assert [r["question_key"] for r in rows] == plan.split(",")
    assert [(r["choice"], r["skipped"]) for r in rows] == [
        ("very_good", 0), ("mostly", 0), (None, 1), (None, 0), (None, 1)]
    assert rows[3]["text"] == "The carers are lovely and kind, but they are always late."
    found = await tags.tags_of_answer(local.runtime.db, rows[3]["id"])
    kinds = [t.kind for t in found]
    assert kinds[0] == "sentiment" and kinds[-1] == "risk" and set(kinds) <= {
        "sentiment", "theme", "risk"}
    assert found[0].value == "negative"  # "lovely and kind, but always late"
    assert "always late" in (found[0].evidence or "")
    checkin = await local.runtime.db.fetchone("SELECT status FROM checkins")
    assert checkin is not None and checkin["status"] == CheckInStatus.COMPLETED.value
    assert local.emulator.flood_breaches == 0
    assert local.emulator.bad_calls == []
    assert buttons_data(sam) == []


async def _due_checkin(local: LocalBot, clock: SimulatedClock, world: World, user_id: int,
                       name: str = "Sam") -> SimulatedPerson:
    """Enrol, wait for the first check-in, and tap Start: the first question waits."""
    person = await enrol(local, world, user_id, name)
    await _until_due(local, clock)
    await local.tick()
    person.press_label("Start")
    await local.settle()
    return person


async def test_checkin_abandoned_half_way_keeps_what_was_said(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await _due_checkin(local, clock, world, 503)
    sam.press_label("Poor")
    await local.settle()
    clock.advance(timedelta(hours=local.config.checkin_expiry_hours + 1))
    report = await local.tick()
    assert report.expired == 1
    row = await local.runtime.db.fetchone("SELECT status, step FROM checkins")
    assert row is not None and (row["status"], row["step"]) == ("expired", 2)
    answers = await local.runtime.db.fetchall("SELECT question_key, choice FROM answers")
    assert [(a["question_key"], a["choice"]) for a in answers] == [("fft", "poor")]
    # A tap on the expired check-in's buttons is answered kindly and changes nothing.
    sam.press(sam.last, buttons_data(sam)[0])
    await local.settle()
    assert sam.texts()[-1] == text("checkin.closed")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM answers") == 1


async def test_double_tap_and_typed_answer(local: LocalBot, world: World,
                                           clock: SimulatedClock) -> None:
    sam = await _due_checkin(local, clock, world, 504)
    question = sam.last
    sam.press_label("Good", question)
    sam.press_label("Very poor", question)  # a second tap before the first is handled
    await local.settle()
    answers = await local.runtime.db.fetchall("SELECT choice FROM answers")
    assert [a["choice"] for a in answers] == ["good"]
    assert local.emulator.callback_answers[max(local.emulator.callback_answers)].get(
        "text") == text("checkin.already_answered")
    sam.send_text("not often")  # typed, on the outcome question
    await local.settle()
    answers = await local.runtime.db.fetchall("SELECT choice, text FROM answers ORDER BY id")
    assert (answers[1]["choice"], answers[1]["text"]) == ("rarely", "not often")
    second_outcome = (await local.runtime.db.scalar("SELECT questions FROM checkins")
                      ).split(",")[2]
    assert sam.last.text == text(f"question.{second_outcome}")


async def test_restart_between_schedule_and_send_loses_and_repeats_nothing(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 505, "Sam")
    before = len(sam.inbox)
    await _until_due(local, clock)
    # Queued, then the process stops.
    opened, _ = await open_due_checkins(local.app.bot, local.runtime)
    assert opened == 1
    await local.stop_bot()
    assert len(sam.inbox) == before
    await local.start_bot()
    await local.settle()  # the JobQueue's first run after start sends what was queued
    await local.tick()
    await local.tick()
    hellos = [t for t in sam.texts() if "time for your check-in" in t]
    assert len(hellos) == 1
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM checkins") == 1


async def test_restart_while_sending_sends_the_message_once(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 506, "Sam")
    await _until_due(local, clock)
    await open_due_checkins(local.app.bot, local.runtime)
    claimed = await outbox.claim_pending(local.runtime.db, clock.now(), 10)
    assert len(claimed) == 1  # marked 'sending', then the process dies before sending
    await local.restart()
    await local.settle()
    await local.tick()
    assert len([t for t in sam.texts() if "time for your check-in" in t]) == 1
    status = await local.runtime.db.scalar("SELECT status FROM outbox")
    assert status == "sent"


async def test_schedule_moves_on_and_missed_weeks_are_not_piled_up(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 507, "Sam")
    clock.advance(timedelta(days=30))  # the server was down for a month
    report = await local.tick()
    assert report.opened == 0  # a month late is too late: recorded as missed, not sent
    statuses = await local.runtime.db.fetchall("SELECT status FROM checkins")
    assert [row["status"] for row in statuses] == ["missed"]
    await _until_due(local, clock)
    report = await local.tick()
    assert report.opened == 1
    person = await local.runtime.db.fetchone("SELECT id FROM people")
    assert person is not None
    schedule = await checkins.schedule_of(local.runtime.db, person["id"])
    assert schedule is not None and schedule.next_due_at > clock.now()
    assert len([t for t in sam.texts() if "time for your check-in" in t]) == 1


async def test_yes_typed_at_the_hello_starts_the_check_in(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 530, "Sam")
    sam.send_command("checkin")
    await local.settle()
    sam.send_text("Yes please")
    await local.settle()
    assert sam.last.text == "Overall, how was your experience of Home Care East?"
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM answers") == 0


async def test_other_words_at_the_hello_are_kept_as_what_the_person_wants_to_say(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 531, "Sam")
    sam.send_command("checkin")
    await local.settle()
    hello = sam.last
    sam.send_text("I had a fall yesterday")
    await local.settle()
    db = local.runtime.db
    assert await db.scalar("SELECT COUNT(*) FROM answers") == 0  # no question was shown
    assert await db.scalar("SELECT text FROM issues") == "I had a fall yesterday"
    assert await db.scalar("SELECT COUNT(*) FROM alerts") == 1
    assert hello.buttons()[0]["text"] == "Start"  # the hello still waits


async def test_words_typed_while_a_tap_is_on_its_way_stay_with_what_was_seen(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 532, "Sam")
    sam.send_command("checkin")
    await local.settle()
    sam.press_label("Start")
    await local.settle()
    sam.press_label("Poor")
    sam.send_text("They were late again and I missed my lunch")  # before the next question
    await local.settle()
    db = local.runtime.db
    rows = await db.fetchall("SELECT id, question_key, choice, text FROM answers")
    assert [(r["question_key"], r["choice"], r["text"]) for r in rows] == [
        ("fft", "poor", "They were late again and I missed my lunch")]
    assert await db.scalar("SELECT COUNT(*) FROM tags WHERE answer_id = ?", (rows[0]["id"],))
    assert sam.texts()[-1] == text("checkin.words_added")
    assert (await db.scalar("SELECT step FROM checkins")) == 2  # the next question waits
