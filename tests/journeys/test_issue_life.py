"""An issue's life through the real bot: a carer raises a problem, the provider and the
commissioner hear of it, the provider works it in Telegram, and the carer hears each step
and says whether it was sorted."""

from __future__ import annotations

from datetime import timedelta

from carebot.conversations.texts import plural, text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.settings.clock import SimulatedClock
from carebot.storage import directory
from carebot.storage.models import Role
from tests.helpers import World, enrol, tap_through_checkin

PROBLEM = "The rota is always sent late and the visit times keep changing"


async def _raise(local: LocalBot, who: SimulatedPerson, words: str = PROBLEM) -> str:
    """Send a problem and tap "A problem"; its reference."""
    who.send_text(words)
    await local.settle()
    who.press_label("A problem")
    await local.settle()
    saved = who.texts()[-1]
    assert saved.startswith("Thank you. I have passed this on.")
    return saved.split("reference is ")[1].split(".")[0]


async def _close_with(local: LocalBot, provider: SimulatedPerson, label: str,
                      words: str) -> None:
    """/issues, tap `label` on the oldest, type the note and send it."""
    provider.send_command("issues")
    await local.settle()
    provider.press_label(label)
    await local.settle()
    provider.send_text(words)
    await local.settle()
    provider.press_label("Send it")
    await local.settle()


async def _staff(local: LocalBot, world: World) -> tuple[SimulatedPerson, SimulatedPerson]:
    provider = await enrol(local, world, 3001, "Priya", role=Role.PROVIDER)
    commissioner = await enrol(local, world, 3002, "Alex", role=Role.COMMISSIONER)
    return provider, commissioner


async def test_a_problem_is_worked_and_the_carer_hears_each_step(
        local: LocalBot, world: World) -> None:
    provider, commissioner = await _staff(local, world)
    jo = await enrol(local, world, 3003, "Jo", role=Role.CARER)
    reference = await _raise(local, jo)
    for staff in (provider, commissioner):  # at once, with the words and who sent them
        assert reference in staff.texts()[-1] and PROBLEM in staff.texts()[-1]
        assert "from Jo" in staff.texts()[-1]

    provider.send_command("issues")
    await local.settle()
    assert provider.texts()[-2] == plural("issues.header", 1)
    assert PROBLEM in provider.texts()[-1]
    item = provider.last
    provider.press_label("Seen", item)
    await local.settle()
    assert jo.texts()[-1] == text("issue.news.seen", organisation="Sunrise Care",
                                  kind="problem", reference=reference)
    provider.press_label("Working on it")
    await local.settle()
    assert jo.texts()[-1] == text("issue.news.in_progress", organisation="Sunrise Care",
                                  kind="problem", reference=reference)

    provider.press_label("Sorted: add a note")
    await local.settle()
    assert provider.texts()[-1] == text("issues.ask_resolve", reference=reference)
    provider.send_text("We have a new driver on Tuesdays")
    await local.settle()
    assert "We have a new driver on Tuesdays" in provider.texts()[-1]
    before = len(jo.inbox)
    provider.press_label("Change it")
    await local.settle()
    assert len(jo.inbox) == before, "nothing goes to the carer before it is confirmed"
    provider.send_text("Tuesday visits now have their own driver, from 9am")
    await local.settle()
    provider.press_label("Send it")
    await local.settle()
    news = text("issue.news.resolved", organisation="Sunrise Care", kind="problem",
                reference=reference, note="Tuesday visits now have their own driver, from 9am")
    assert jo.texts()[-1] == news
    jo.press_label("Yes")
    await local.settle()
    assert jo.texts()[-1] == text("issue.ok.thanks")

    # In the order they were made (on the test's clock they share one moment, and the
    # audit log's view is ordered by time only).
    rows = await local.runtime.db.fetchall(
        "SELECT 'issue ' || status AS what, note FROM issue_updates ORDER BY id")
    assert [r["what"] for r in rows] == ["issue seen", "issue in_progress", "issue resolved",
                                         "issue resolved"]
    assert rows[2]["note"] == "Tuesday visits now have their own driver, from 9am"
    logged = await local.runtime.db.fetchall(
        "SELECT what, note FROM audit_log WHERE what LIKE 'issue %'")
    assert sorted((r["what"], r["note"] or "") for r in logged) == sorted(
        (r["what"], r["note"] or "") for r in rows)


async def test_a_no_opens_it_again_and_tells_staff(local: LocalBot, world: World) -> None:
    provider, commissioner = await _staff(local, world)
    jo = await enrol(local, world, 3003, "Jo", role=Role.CARER)
    reference = await _raise(local, jo)
    await _close_with(local, provider, "Close with no change",
                      "We cannot change the visit time this month")
    jo.press_label("No")
    await local.settle()
    assert jo.texts()[-1] == text("issue.ok.reopened", reference=reference,
                                  organisation="Sunrise Care")
    for staff in (provider, commissioner):
        assert staff.texts()[-1] == text("issues.reopened", reference=reference,
                                         service=world.service_name, name="Jo")
    provider.send_command("issues")
    await local.settle()
    assert "Now: waiting to be read" in provider.texts()[-1]


async def test_a_person_asks_about_their_own_references_only(
        local: LocalBot, world: World) -> None:
    jo = await enrol(local, world, 3003, "Jo", role=Role.CARER)
    sam = await enrol(local, world, 3004, "Sam", role=Role.CARER)
    mine = await _raise(local, jo)
    theirs = await _raise(local, sam, "The front door lock is broken")
    raised = await local.runtime.db.scalar("SELECT COUNT(*) FROM issues")

    jo.send_text(f"Any news on {mine}?")
    await local.settle()
    assert jo.texts()[-1].startswith(f"{mine}, a problem from ")
    assert jo.texts()[-1].endswith(": waiting to be read.")
    jo.send_text(f"any news on {theirs}")
    await local.settle()
    assert jo.texts()[-1] == text("mine.not_yours", reference=theirs)
    jo.send_text("CB-99999?")  # one that does not exist gets the very same answer
    await local.settle()
    assert jo.texts()[-1] == text("mine.not_yours", reference="CB-99999")
    jo.send_text("my problem")
    await local.settle()
    assert jo.texts()[-2:] == [text("mine.header"), jo.texts()[-1]]
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM issues") == raised, \
        "a question is not kept as new feedback"

    jo.send_text(f"{mine} is still not sorted, nobody came again today and mum was upset")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM issues") == raised + 1
    assert jo.texts()[-1].startswith(f"{mine}, a problem from ")


async def test_mine_lists_what_they_sent_with_the_last_note(
        local: LocalBot, world: World) -> None:
    provider, _ = await _staff(local, world)
    jo = await enrol(local, world, 3003, "Jo", role=Role.CARER)
    jo.send_command("mine")
    await local.settle()
    assert jo.texts()[-1] == text("mine.none")
    reference = await _raise(local, jo)
    await _close_with(local, provider, "Sorted: add a note", "New driver")
    jo.send_command("mine")
    await local.settle()
    assert jo.texts()[-1].startswith(f"{reference}, a problem from ")
    assert jo.texts()[-1].endswith(": sorted.\n" + text("mine.note", note="New driver"))


async def test_staff_see_and_move_only_their_own_services(local: LocalBot, world: World) -> None:
    db, now = local.runtime.db, local.runtime.clock.now()
    other = await directory.add_organisation(db, "provider", "Elsewhere Ltd", now)
    elsewhere = await directory.add_service(db, council_id=world.council_id,
                                            provider_id=other.id, name="Elsewhere Day Centre",
                                            kind="day service", now=now)
    stranger_code = await directory.create_invite(db, role=Role.PROVIDER, now=now,
                                                  service_id=elsewhere.id)
    stranger = local.person(3010, "Pat")
    stranger.send_command("start", stranger_code)
    await stranger.wait_for_messages(1)
    stranger.press_label("Yes")
    await local.settle()
    jo = await enrol(local, world, 3003, "Jo", role=Role.CARER)
    await _raise(local, jo)
    assert len(stranger.inbox) == 1 + 1, "another provider hears nothing of it"
    stranger.send_command("issues")
    await local.settle()
    assert stranger.texts()[-1] == text("issues.none")
    issue_id = await db.scalar("SELECT id FROM issues")
    stranger.press(stranger.last, f"i|{issue_id}|seen")  # a forged tap on someone else's
    await local.settle()
    assert await db.scalar("SELECT status FROM issues") == "open"
    jo.send_command("issues")  # and people who draw on care cannot use it
    await local.settle()
    assert jo.texts()[-1] == text("odd.not_allowed")


async def test_a_provider_can_hear_once_a_day_instead(local: LocalBot, world: World,
                                                      clock: SimulatedClock) -> None:
    provider, commissioner = await _staff(local, world)
    provider.send_command("notices")
    await local.settle()
    provider.press_label("Once a day")
    await local.settle()
    assert provider.texts()[-1] == text("notices.saved.daily")
    before = len(provider.inbox)
    jo = await enrol(local, world, 3003, "Jo", role=Role.CARER)
    reference = await _raise(local, jo)
    assert len(provider.inbox) == before
    assert reference in commissioner.texts()[-1], "the commissioner still hears at once"

    def summaries() -> list[str]:  # (the weekly digest comes to providers too)
        return [t for t in provider.texts()[before:] if t.startswith("New at your services")]

    clock.set(clock.now().replace(hour=8, minute=59) + timedelta(days=1))
    await local.tick()
    assert summaries() == [], "not before the morning"
    clock.advance(timedelta(minutes=2))
    await local.tick()
    await local.tick()
    assert summaries() == [text(
        "issues.daily", count=1, lines=f"{reference}: a problem about {world.service_name}")]
    clock.advance(timedelta(days=1))
    await local.tick()
    assert len(summaries()) == 1, "no news, no summary"


async def test_asking_about_a_reference_while_a_question_waits_is_not_an_answer(
        local: LocalBot, world: World) -> None:
    jo = await enrol(local, world, 3005, "Jo", role=Role.CARER)
    mine = await _raise(local, jo)
    await tap_through_checkin(local, jo, "Start")
    waiting = jo.last.text
    answers = await local.runtime.db.scalar("SELECT COUNT(*) FROM answers")
    jo.send_text(f"any news on {mine}?")
    await local.settle()
    assert jo.texts()[-1].startswith(f"{mine}, a problem from ")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM answers") == answers
    jo.press_label("Good")  # the question still waits, and its buttons still work
    await local.settle()
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM answers") == answers + 1
    assert waiting != jo.last.text
