"""The demo's loop being closed, step by step, as staff would do it in Telegram: the
provider works a carer's problem until the carer says it is sorted; an alert the duty
contact misses climbs to the backup, who acts and notes what they did; the commissioner
records "you said, we did" and it reaches the people of that service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from carebot.bot.jobs import TickReport
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotMessage
from carebot.settings.clock import SimulatedClock

LONDON = ZoneInfo("Europe/London")
PROBLEM_WORKED = "evening carer did not turn up"
# The second week of the demo, when the loop is closed.
PROVIDER_SEES_IT = datetime(2026, 11, 11, 11, 30, tzinfo=LONDON)
PROVIDER_SORTS_IT = datetime(2026, 11, 12, 10, 0, tzinfo=LONDON)
INCIDENT_AT = datetime(2026, 11, 13, 15, 0, tzinfo=LONDON)
ACTION_AT = datetime(2026, 11, 13, 16, 30, tzinfo=LONDON)
SORTED_NOTE = ("We have added a second evening carer on Tuesdays, and the office will ring "
               "you if a visit is going to be late.")
WORRY = ("Dad has a cut on his arm and it is bleeding. He says the carer grabbed him when "
         "he was slow.")
BACKUP_NOTE = "Rang the family and visited Dad. He is safe. The manager is looking into it."
ACTION_DID = ("From Monday, Sunrise Home Care will text you if your carer is going to be "
              "more than 15 minutes late.")


def say(line: str) -> None:
    print(line, flush=True)


async def time_comes(local: LocalBot, clock: SimulatedClock, moment: datetime) -> TickReport:
    """The simulated clock moves on to `moment`, and the periodic job runs then, as a
    running bot's would within seconds; nothing else runs it in the demo."""
    clock.set(moment)
    return await local.tick()


@dataclass
class Staff:
    """The staff who close the loop in the demo."""

    duty: SimulatedPerson
    backup: SimulatedPerson
    provider: SimulatedPerson
    commissioner: SimulatedPerson
    acted_on: set[int] = field(default_factory=set)  # alert messages the duty contact took


def _with(who: SimulatedPerson, words: str) -> BotMessage:
    """The newest message to `who` containing `words`."""
    for message in reversed(who.inbox):
        if words in (message.text or ""):
            return message
    raise LookupError(f"no message with {words!r} in chat {who.id}")


# What the duty contact taps on each new alert: they take it (a request to talk: they say
# they will answer), and say they have contacted the person (talked) when asked later.
DUTY_TAPS = ("I will deal with it", "I will get in touch", "We have talked", "Contacted them")


async def duty_acts_on_new_alerts(local: LocalBot, staff: Staff) -> int:
    """The duty contact acts on each alert and request to talk that has come in."""
    acted = 0
    for message in [m for m in staff.duty.inbox if m.message_id not in staff.acted_on]:
        offered = {b["text"] for b in message.buttons()}
        label = next((tap for tap in DUTY_TAPS if tap in offered), None)
        if label is None:
            continue
        staff.acted_on.add(message.message_id)
        staff.duty.press_label(label, message)
        await local.settle()
        acted += 1
    return acted


async def provider_sees_the_problem(local: LocalBot, staff: Staff) -> None:
    staff.provider.send_command("issues")
    await local.settle()
    item = _with(staff.provider, PROBLEM_WORKED)
    staff.provider.press_label("Seen", item)
    await local.settle()
    staff.provider.press_label("Working on it", item)
    await local.settle()
    say(f"{PROVIDER_SEES_IT:%a %d %b %H:%M}: the provider opened /issues, marked a carer's "
        "problem seen, then in progress; the carer was told each time.")


async def provider_sorts_it(local: LocalBot, staff: Staff, carer: SimulatedPerson) -> None:
    staff.provider.send_command("issues")
    await local.settle()
    staff.provider.press_label("Sorted: add a note", _with(staff.provider, PROBLEM_WORKED))
    await local.settle()
    staff.provider.send_text(SORTED_NOTE)
    await local.settle()
    staff.provider.press_label("Send it")
    await local.settle()
    carer.press_label("Yes", _with(carer, "Was this OK?"))
    await local.settle()
    say(f"{PROVIDER_SORTS_IT:%a %d %b %H:%M}: the provider wrote what was done and sent it; "
        "the carer read it and said Yes, that was OK.")


async def missed_alert_climbs(local: LocalBot, clock: SimulatedClock, staff: Staff,
                              carer: SimulatedPerson) -> None:
    """The duty contact is in a meeting: nobody acts for ten minutes, so the urgent alert
    goes to the backup, who acts and notes what they did."""
    carer.send_text(WORRY)  # a worry is kept as a problem at once: no question of its kind
    await local.settle()
    staff.acted_on.update(m.message_id for m in staff.duty.inbox)  # missed: in a meeting
    await time_comes(local, clock, clock.now() + timedelta(minutes=11))
    passed_on = _with(staff.backup, WORRY)
    await time_comes(local, clock, clock.now() + timedelta(minutes=3))
    staff.backup.press_label("I will deal with it", passed_on)
    await local.settle()
    await time_comes(local, clock, clock.now() + timedelta(minutes=40))
    staff.backup.press_label("Contacted them", passed_on)
    await local.settle()
    staff.backup.send_text(BACKUP_NOTE)
    await local.settle()
    staff.backup.press_label("Send it")
    await local.settle()
    say(f"{INCIDENT_AT:%a %d %b %H:%M}: an urgent alert went to the duty contact, who was "
        "busy; after 10 minutes it went to the backup contact, who dealt with it, contacted "
        "the family and noted what they did. The duty contact was told.")


async def commissioner_records_an_action(local: LocalBot, staff: Staff, service: str,
                                         theme: Callable[[list[str]], str]) -> None:
    who = staff.commissioner
    who.send_command("action")
    await local.settle()
    who.press_label(service)
    await local.settle()
    offered = [b["text"] for b in who.last.buttons()]
    who.press_label(theme(offered))
    await local.settle()
    who.send_text(ACTION_DID)
    await local.settle()
    who.press_label("Send it")
    await local.settle()
    say(f"{ACTION_AT:%a %d %b %H:%M}: the commissioner recorded \"you said, we did\" for "
        f"{service}: {who.texts()[-1]}")
