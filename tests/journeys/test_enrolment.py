"""Joining keeps its promises: a person's first check-in comes when the bot said it would;
each member of staff is welcomed with exactly the services whose problems and alerts then
reach them; a carer is told what a carer can do; and everyone who draws on care is told
who sees what, and who is in charge of their data, before they say yes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from carebot.conversations.schedule import WINDOWS
from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.settings.clock import SimulatedClock
from carebot.storage import directory
from carebot.storage.models import Role
from tests.conftest import config_in
from tests.helpers import World, enrol, small_world

LONDON = ZoneInfo("Europe/London")
PROMISE = re.compile(r"I will send your (?:first|next) check-in on (\w+ \d+ \w+), "
                     r"in the (morning|afternoon|evening)\.")
HELLO = "It is time for your check-in"
WORRY = "Mum has bruises on her arms, someone grabbed her and she is bleeding."  # urgent


def _promised(person: SimulatedPerson) -> tuple[str, str]:
    """The newest promise of when a check-in comes: ('Tuesday 17 November', 'morning')."""
    for words in reversed(person.texts()):
        if found := PROMISE.search(words):
            return found[1], found[2]
    raise LookupError(f"no promise in {person.texts()}")


async def _first_checkin_came(local: LocalBot, clock: SimulatedClock,
                              person: SimulatedPerson) -> datetime:
    """Let the bot run, each hour for up to eight days, until the person's check-in
    comes; the local time it came. (Quiet hours, 21:00 to 08:00, are passed over: nothing
    may be sent then, and anything that was would be seen, and fail, at 08:00.)"""
    before = len(person.inbox)
    for _ in range(8 * 24):
        clock.advance(timedelta(hours=1))
        if not 8 <= clock.now().astimezone(LONDON).hour < 21:
            continue
        await local.tick()
        if any(HELLO in (m.text or "") for m in person.inbox[before:]):
            return clock.now().astimezone(LONDON)
    raise AssertionError(f"no check-in came; promised {_promised(person)}")


def _as_promised(came: datetime, promise: tuple[str, str]) -> bool:
    day, part = promise
    opens, closes = WINDOWS[part]
    return f"{came:%A} {came.day} {came:%B}" == day and opens <= came.time() <= closes


@pytest.mark.parametrize("joins_at", [
    datetime(2026, 11, 16, 8, 0),    # Monday, early
    datetime(2026, 11, 17, 8, 0),    # Tuesday before the window opens (its default slot)
    datetime(2026, 11, 17, 10, 30),  # Tuesday inside the window: next week
    datetime(2026, 11, 17, 13, 0),   # Tuesday after it closed
    datetime(2026, 11, 22, 23, 30),  # Sunday night, in quiet hours
    datetime(2026, 10, 24, 20, 0),   # Saturday before the clocks go back
], ids=lambda moment: f"{moment:%a-%H%M-%d%b}")
async def test_the_first_check_in_comes_when_the_bot_said(tmp_path: Path,
                                                          joins_at: datetime) -> None:
    clock = SimulatedClock(joins_at.replace(tzinfo=LONDON))
    async with LocalBot(config_in(tmp_path), clock) as local:
        world = await small_world(local.runtime.db, clock.now())
        sam = await enrol(local, world, 7001, "Sam")
        assert sam.texts()[-1].startswith("Thank you, Sam. I will send your first check-in on")
        promise = _promised(sam)
        came = await _first_checkin_came(local, clock, sam)
        assert _as_promised(came, promise), (promise, came)


async def test_a_time_chosen_with_schedule_is_kept_too(local: LocalBot, world: World,
                                                       clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 7002, "Sam")
    sam.send_command("schedule")
    await local.settle()
    for label in ("Every week", "Monday", "Afternoon (2pm to 5pm)"):
        sam.press_label(label)
        await local.settle()
    promise = _promised(sam)
    assert promise == ("Monday 16 November", "afternoon")  # today: it is 08:00
    assert _as_promised(await _first_checkin_came(local, clock, sam), promise)


async def test_coming_back_after_stop_is_promised_truly(local: LocalBot, world: World,
                                                        clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 7003, "Sam")
    sam.send_command("stop")
    await local.settle()
    clock.advance(timedelta(days=3, hours=5))
    sam.send_command("start")
    await local.settle()
    sam.press_label("Yes")
    await local.settle()
    assert sam.texts()[-1].startswith("Thank you, Sam. I will send your next check-in on")
    promise = _promised(sam)
    assert _as_promised(await _first_checkin_came(local, clock, sam), promise)


async def test_a_person_is_told_who_sees_what_before_saying_yes(tmp_path: Path,
                                                                clock: SimulatedClock) -> None:
    config = replace(config_in(tmp_path), data_controller="Testshire Council",
                     privacy_notice_url="https://www.testshire.example/carebot-privacy")
    async with LocalBot(config, clock) as local:
        world = await small_world(local.runtime.db, clock.now())
        for user_id, role in ((7004, Role.PERSON), (7005, Role.CARER)):
            who = await enrol(local, world, user_id, "Sam", role=role)
            asked = who.texts()[0]
            assert len(who.inbox) == 2, "one message, with Yes and No under it; then thanks"
            assert text("consent.who_sees", provider="Sunrise Care", service="Home Care East",
                        controller="Testshire Council",
                        privacy_notice="https://www.testshire.example/carebot-privacy"
                        ) in asked
            assert asked.endswith("Is that OK?")


async def test_a_carer_is_welcomed_as_a_carer(local: LocalBot, world: World) -> None:
    """Not told their answers are about their own care: told they can send a problem, a
    thank you or an idea about the service, follow it with /mine, and choose check-ins
    about how they are, as a carer can."""
    jo = await enrol(local, world, 7006, "Jo", role=Role.CARER)
    assert jo.texts()[0].startswith(text("consent.ask.carer", name="Jo",
                                         service="Home Care East"))
    assert "your care" not in jo.texts()[0]
    assert jo.texts()[-1] == text("consent.given.carer", name="Jo", service="Home Care East")
    for command in ("/mine", "/schedule", "/help"):
        assert command in jo.texts()[-1]
    assert not PROMISE.search(jo.texts()[-1]), "a carer is promised no check-in"


# Three services: two of Sunrise Care's (the world's, and West), and one of another
# provider's. Each member of staff joins, is named where they belong, then says yes.
STAFF = {"Priya": (Role.PROVIDER, 7101), "Dee": (Role.DUTY_CONTACT, 7102),
         "Bo": (Role.DUTY_CONTACT, 7103), "Alex": (Role.COMMISSIONER, 7104),
         "Lena": (Role.COMMISSIONER, 7105)}


async def _starts(local: LocalBot, world: World, name: str) -> SimulatedPerson:
    role, user_id = STAFF[name]
    at_council = role is Role.COMMISSIONER
    code = await directory.create_invite(
        local.runtime.db, role=role, now=local.runtime.clock.now(), display_name=name,
        service_id=None if at_council else world.service_id,
        organisation_id=world.council_id if at_council else None)
    who = local.person(user_id, name)
    who.send_command("start", code)
    await who.wait_for_messages(1)
    return who


async def _person_id(local: LocalBot, who: SimulatedPerson) -> int:
    person = await directory.person_by_telegram_id(local.runtime.db, who.id)
    assert person is not None
    return person.id


def _heard_from(who: SimulatedPerson, services: list[str], starts: str) -> set[str]:
    return {s for s in services for m in who.texts() if m.startswith(starts) and s in m}


async def test_staff_are_welcomed_with_every_service_they_then_hear_from(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    db, now = local.runtime.db, clock.now()
    west = await directory.add_service(db, council_id=world.council_id,
                                       provider_id=world.provider_id, name="Home Care West",
                                       kind="home care", now=now)
    other = await directory.add_organisation(db, "provider", "Elsewhere Ltd", now)
    elsewhere = await directory.add_service(db, council_id=world.council_id,
                                            provider_id=other.id, name="Elsewhere Day Centre",
                                            kind="day service", now=now)
    east = await directory.get_service(db, world.service_id)
    assert east is not None
    staff = {name: await _starts(local, world, name) for name in STAFF}
    ids = {name: await _person_id(local, who) for name, who in staff.items()}
    for service, duty, backup in ((east, "Dee", "Bo"), (west, "Bo", "Dee"),
                                  (elsewhere, "Dee", "Bo")):
        await directory.set_duty_contact(db, service.id, ids[duty])
        await directory.set_backup_contact(db, service.id, ids[backup])
    await directory.set_safeguarding_lead(db, world.council_id, ids["Lena"])
    for who in staff.values():
        who.press_label("Yes")
    await local.settle()
    welcome = {name: who.texts()[1] for name, who in staff.items()}
    every = "Home Care East, Home Care West and Elsewhere Day Centre"
    assert welcome["Priya"] == text("consent.given.provider", name="Priya",
                                    services="Home Care East and Home Care West")
    assert welcome["Dee"] == (
        text("consent.given.duty_contact", name="Dee",
             services="Home Care East and Elsewhere Day Centre") + "\n\n"
        + text("consent.alerts_later", services="Home Care West"))
    assert welcome["Bo"] == (
        text("consent.given.duty_contact", name="Bo", services="Home Care West") + "\n\n"
        + text("consent.alerts_later", services="Home Care East and Elsewhere Day Centre"))
    assert welcome["Alex"] == text("consent.given.commissioner", name="Alex", services=every)
    assert welcome["Lena"] == (text("consent.given.commissioner", name="Lena", services=every)
                               + "\n\n" + text("consent.alerts_later", services=every))

    # Now what the routing does: a problem and an urgent worry at each service, and
    # nobody acts on the worries, so each climbs the whole chain.
    names = [s.name for s in (east, west, elsewhere)]
    for n, service in enumerate((east, west, elsewhere)):
        at_service = World(world.council_id, service.provider_id, service.id, service.name)
        carer = await enrol(local, at_service, 7200 + n, f"Carer {n}", role=Role.CARER)
        carer.send_text(WORRY)  # kept as a problem at once
        await local.settle()
    for _ in range(3):
        clock.advance(timedelta(minutes=local.config.alert_escalate_urgent_minutes + 1))
        await local.tick()
        await local.settle()
    problems = {name: _heard_from(who, names, "New problem") for name, who in staff.items()}
    alerts = {name: _heard_from(who, names, "Safeguarding urgent") for name, who in staff.items()}
    passed = {name: _heard_from(who, names, "Nobody has acted on this yet")
              for name, who in staff.items()}
    assert problems == {"Priya": {"Home Care East", "Home Care West"}, "Dee": set(),
                        "Bo": set(), "Alex": set(names), "Lena": set(names)}
    assert alerts == {"Priya": set(), "Dee": {"Home Care East", "Elsewhere Day Centre"},
                      "Bo": {"Home Care West"}, "Alex": set(), "Lena": set()}
    assert passed == {"Priya": set(), "Dee": {"Home Care West"},
                      "Bo": {"Home Care East", "Elsewhere Day Centre"}, "Alex": set(),
                      "Lena": set(names)}


async def test_a_duty_contact_named_nowhere_yet_is_told_so(local: LocalBot,
                                                           world: World) -> None:
    dee = await enrol(local, world, 7301, "Dee", role=Role.DUTY_CONTACT)
    assert dee.texts()[0] == text("consent.ask.staff", name="Dee", role=text("role.duty_contact"),
                                  place="Sunrise Care", what=text("role_sends.duty_contact"))
    assert dee.texts()[1] == text("consent.given.duty_contact.none", name="Dee")
