"""A check-in end to end through the emulator: enrol, schedule, answer, stop half-way."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import SimulatedClock
from bot.emulator.harness import LocalBot
from storage import checkins, tags
from storage.models import CheckInStatus
from tests.helpers import World, buttons_data, enrol


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
    clock.advance(timedelta(days=8))
    report = await local.tick()
    assert report.opened == 1 and report.sent == 1
    first = sam.last
    assert first.text is not None and first.text.startswith("Hello Sam.")
    assert "Overall, how was your experience of our service?" in first.text
    sam.press_label("Very good")
    await local.settle()
    assert "You said: 😀 Very good" in (sam.inbox[-2].text or "")
    sam.press_label("Mostly")
    await local.settle()
    sam.send_text("The carers are lovely and kind, but they are always late.")
    await local.settle()
    assert sam.texts()[-1].startswith("Thank you. Your answers go to")
    rows = await local.runtime.db.fetchall(
        "SELECT id, question_key, choice, text, skipped FROM answers ORDER BY id")
    assert [(r["question_key"], r["choice"]) for r in rows][:2] == [("fft", "very_good"),
                                                                     (rows[1]["question_key"],
                                                                      "mostly")]
    assert rows[2]["text"] == "The carers are lovely and kind, but they are always late."
    found = await tags.tags_of_answer(local.runtime.db, rows[2]["id"])
    assert [t.kind for t in found] == ["sentiment"]
    checkin = await local.runtime.db.fetchone("SELECT status FROM checkins")
    assert checkin is not None and checkin["status"] == CheckInStatus.COMPLETED.value
    assert local.emulator.flood_breaches == 0
    assert local.emulator.bad_calls == []
    assert buttons_data(sam) == []
