"""Problems are chased (issue 26, item 5), through the real bot on a simulated clock: a
problem nobody marks seen within two working days brings the provider's staff a
reminder with the /issues buttons; within four, the commissioner is told and so is the
carer, kindly and with no staff names. Each step once, across restarts; nothing once
seen. A thank you is passed on and promised nothing more; an idea is passed on too."""

from __future__ import annotations

from datetime import UTC, datetime

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotMessage
from carebot.settings.clock import SimulatedClock
from carebot.storage.models import Role
from tests.helpers import World, enrol

# Friday 13 November 2026, 10:00 in London (GMT, so 10:00 UTC).
CLOCK_START = datetime(2026, 11, 13, 10, 0, tzinfo=UTC)
PROBLEM = "The rota keeps changing and we are never told who is coming"
REMINDER = "Reminder: nobody has marked"
LATE = "is taking longer than it should"


async def _raise(local: LocalBot, who: SimulatedPerson, words: str = PROBLEM,
                 label: str = "A problem") -> str:
    """Send feedback, tap its kind; the reference it is given."""
    who.send_text(words)
    await local.settle()
    who.press_label(label)
    await local.settle()
    return who.texts()[-1].split("reference is ")[1].split(".")[0]


async def _people(local: LocalBot, world: World) -> tuple[SimulatedPerson, SimulatedPerson,
                                                          SimulatedPerson]:
    provider = await enrol(local, world, 4001, "Priya", role=Role.PROVIDER)
    commissioner = await enrol(local, world, 4002, "Alex", role=Role.COMMISSIONER)
    jo = await enrol(local, world, 4003, "Jo", role=Role.CARER)
    return provider, commissioner, jo


def _count(who: SimulatedPerson, words: str) -> int:
    return sum(words in said for said in who.texts())


def _with(who: SimulatedPerson, words: str) -> BotMessage:
    """The newest message to `who` with `words` in it (weekly digests come in between)."""
    return next(m for m in reversed(who.inbox) if words in (m.text or ""))


async def _at(local: LocalBot, clock: SimulatedClock, moment: datetime) -> None:
    """The clock moves to `moment` and the periodic job runs."""
    clock.set(moment)
    await local.tick()


async def test_a_friday_problem_is_chased_on_tuesday_then_on_thursday(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    provider, commissioner, jo = await _people(local, world)
    reference = await _raise(local, jo)

    for day in (datetime(2026, 11, 15, 10, 0, tzinfo=UTC),    # Sunday: two calendar days
                datetime(2026, 11, 16, 10, 0, tzinfo=UTC),    # Monday: one working day
                datetime(2026, 11, 17, 9, 59, tzinfo=UTC)):   # Tuesday, a minute short
        await _at(local, clock, day)
        assert _count(provider, REMINDER) == 0, day

    await _at(local, clock, datetime(2026, 11, 17, 10, 0, tzinfo=UTC))  # Tuesday
    reminder = _with(provider, REMINDER)
    assert reminder.text is not None and reminder.text.startswith(
        text("issues.remind", reference=reference, waited="2 working days", item=""))
    assert world.service_name in reminder.text and PROBLEM in reminder.text
    assert [b["text"] for b in reminder.buttons()] == [
        text("issues.seen"), text("issues.progress"), text("issues.resolve"),
        text("issues.close")]
    assert _count(commissioner, reference) == 1, "only the new problem: not told yet"
    assert _count(jo, LATE) == 0

    await _at(local, clock, datetime(2026, 11, 18, 10, 0, tzinfo=UTC))  # Wednesday
    assert _count(provider, REMINDER) == 1, "reminded once"
    assert _count(commissioner, reference) == 1

    await _at(local, clock, datetime(2026, 11, 19, 10, 0, tzinfo=UTC))  # Thursday: 4 days
    told = _with(commissioner, "has waited")
    assert told.text is not None and told.text.startswith(text(
        "issues.escalated", reference=reference, waited="4 working days",
        provider="Sunrise Care", item=""))
    assert PROBLEM in told.text and len(told.buttons()) == 4
    assert jo.texts()[-1] == text("issue.late", reference=reference, provider="Sunrise Care",
                                  council="Testshire Council")
    assert "Priya" not in jo.texts()[-1] and "Alex" not in jo.texts()[-1]
    assert _count(provider, REMINDER) == 1, "the provider is not reminded again"

    for date in range(20, 28):  # the next week: nothing more, on any day
        await _at(local, clock, datetime(2026, 11, date, 10, 0, tzinfo=UTC))
    assert (_count(provider, REMINDER), _count(commissioner, reference), _count(jo, LATE)) \
        == (1, 2, 1)  # the commissioner: the new problem, then the escalation


async def test_each_step_happens_once_across_restarts(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    provider, commissioner, jo = await _people(local, world)
    reference = await _raise(local, jo)
    await _at(local, clock, datetime(2026, 11, 17, 10, 0, tzinfo=UTC))
    await local.restart()
    await _at(local, clock, datetime(2026, 11, 17, 10, 5, tzinfo=UTC))
    assert _count(provider, REMINDER) == 1
    await _at(local, clock, datetime(2026, 11, 19, 10, 0, tzinfo=UTC))
    await local.restart()
    await _at(local, clock, datetime(2026, 11, 19, 11, 0, tzinfo=UTC))
    await local.restart()
    await _at(local, clock, datetime(2026, 11, 20, 11, 0, tzinfo=UTC))
    assert _count(provider, REMINDER) == 1
    assert _count(commissioner, text("issues.escalated", reference=reference,
                                     waited="4 working days", provider="Sunrise Care",
                                     item="")) == 1
    assert _count(jo, LATE) == 1
    row = await local.runtime.db.fetchone("SELECT reminded_at, escalated_at FROM issues")
    assert row is not None and row["reminded_at"] < row["escalated_at"]


async def test_nothing_is_chased_once_seen(local: LocalBot, world: World,
                                           clock: SimulatedClock) -> None:
    provider, commissioner, jo = await _people(local, world)
    await _raise(local, jo)
    clock.set(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    provider.send_command("issues")
    await local.settle()
    provider.press_label("Seen")
    await local.settle()
    heard = len(jo.inbox)
    for day in range(16, 31):
        await _at(local, clock, datetime(2026, 11, day, 12, 0, tzinfo=UTC))
    assert _count(provider, REMINDER) == _count(commissioner, "has waited") == 0
    assert len(jo.inbox) == heard


async def test_seen_on_the_reminder_itself_stops_the_chase(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    provider, commissioner, jo = await _people(local, world)
    reference = await _raise(local, jo)
    await _at(local, clock, datetime(2026, 11, 17, 10, 0, tzinfo=UTC))
    reminder = _with(provider, REMINDER)
    provider.press_label("Seen", reminder)
    await local.settle()
    assert jo.texts()[-1] == text("issue.news.seen", organisation="Sunrise Care",
                                  kind="problem", reference=reference)
    assert [b["text"] for b in _with(provider, REMINDER).buttons()] == [
        text("issues.progress"), text("issues.resolve"), text("issues.close")]
    await _at(local, clock, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    assert _count(commissioner, LATE) == _count(jo, LATE) == 0
    assert _count(commissioner, "has waited") == 0


async def test_chasing_waits_for_working_hours(local: LocalBot, world: World,
                                               clock: SimulatedClock) -> None:
    """A problem sent late on Monday is due on Wednesday night: the reminder waits for
    Thursday morning, out of quiet hours."""
    provider, _, jo = await _people(local, world)
    clock.set(datetime(2026, 11, 16, 22, 30, tzinfo=UTC))
    await _raise(local, jo)
    await _at(local, clock, datetime(2026, 11, 18, 23, 0, tzinfo=UTC))  # Wednesday night
    assert _count(provider, REMINDER) == 0
    await _at(local, clock, datetime(2026, 11, 19, 8, 0, tzinfo=UTC))  # Thursday morning
    assert _count(provider, REMINDER) == 1


async def test_a_problem_opened_again_is_chased_afresh(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    provider, _, jo = await _people(local, world)
    reference = await _raise(local, jo)
    await _at(local, clock, datetime(2026, 11, 17, 10, 0, tzinfo=UTC))  # reminded
    provider.press_label("Close with no change", _with(provider, REMINDER))
    await local.settle()
    provider.send_text("We cannot change the rota this month")
    await local.settle()
    provider.press_label("Send it")
    await local.settle()
    clock.set(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))  # Wednesday afternoon
    jo.press_label("No")
    await local.settle()
    assert jo.texts()[-1] == text("issue.ok.reopened", reference=reference,
                                  organisation="Sunrise Care")
    await _at(local, clock, datetime(2026, 11, 19, 16, 0, tzinfo=UTC))
    assert _count(provider, REMINDER) == 1, "a day after opening again: not yet"
    await _at(local, clock, datetime(2026, 11, 20, 15, 0, tzinfo=UTC))  # Friday: 2 days
    assert _count(provider, REMINDER) == 2


async def test_a_problem_nobody_at_the_council_can_hear_of(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    """With no commissioner to tell, the carer still hears it is late, and is not told
    that the council knows."""
    provider = await enrol(local, world, 4001, "Priya", role=Role.PROVIDER)
    jo = await enrol(local, world, 4003, "Jo", role=Role.CARER)
    reference = await _raise(local, jo)
    await _at(local, clock, datetime(2026, 11, 19, 10, 0, tzinfo=UTC))
    assert _count(provider, REMINDER) == 1
    assert jo.texts()[-1] == text("issue.late.no_council", reference=reference,
                                  provider="Sunrise Care")


async def test_a_thank_you_is_passed_on_and_promises_nothing_more(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    provider, commissioner, jo = await _people(local, world)
    words = "The new carer is patient and kind with mum"
    reference = await _raise(local, jo, words, "A thank you")
    assert jo.texts()[-1] == text("feedback.saved.compliment", service=world.service_name,
                                  reference=reference)
    assert "what happens" not in jo.texts()[-1]
    for staff in (provider, commissioner):
        assert staff.texts()[-1] == text("issues.new.compliment", reference=reference,
                                         service=world.service_name, name="Jo", words=words)
    heard = len(jo.inbox)
    await _at(local, clock, datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    assert len(jo.inbox) == heard, "a thank you is not chased"
    assert _count(provider, REMINDER) == _count(commissioner, "has waited") == 0


async def test_an_idea_is_passed_on_with_an_honest_promise(
        local: LocalBot, world: World) -> None:
    provider, commissioner, jo = await _people(local, world)
    words = "Could you send the rota a week ahead?"
    reference = await _raise(local, jo, words, "An idea")
    assert jo.texts()[-1] == text("feedback.saved.idea", service=world.service_name,
                                  reference=reference)
    for staff in (provider, commissioner):
        assert staff.texts()[-1] == text("issues.new.idea", reference=reference,
                                         service=world.service_name, name="Jo", words=words)
    provider.send_command("issues")
    await local.settle()
    provider.press_label("Working on it")
    await local.settle()
    assert jo.texts()[-1] == text("issue.news.in_progress", organisation="Sunrise Care",
                                  kind="idea", reference=reference)


async def test_a_thank_you_names_only_who_really_hears_it(local: LocalBot,
                                                            world: World) -> None:
    """Nobody at the provider on carebot: the council has it, and the carer is told so;
    nobody at all: the carer is told it is kept, not that it was passed on."""
    jo = await enrol(local, world, 4003, "Jo", role=Role.CARER)
    reference = await _raise(local, jo, "Lovely carers, thank you", "A thank you")
    assert jo.texts()[-1] == text("feedback.saved.nobody", reference=reference,
                                  service=world.service_name)
    await enrol(local, world, 4002, "Alex", role=Role.COMMISSIONER)
    reference = await _raise(local, jo, "The new carer is so kind", "A thank you")
    assert jo.texts()[-1] == text("feedback.saved.compliment", reference=reference,
                                  service="Testshire Council")
