"""Each role has its own welcome, help and menu, and gets only what it is for: staff are
not asked the consent question for people who draw on care, and a board member gets the
council's digest (no names) each week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.storage import directory
from carebot.storage.models import Role
from tests.helpers import World, enrol

# Who each is asked to join for (their organisation; a service's staff, its provider's),
# and their welcome: every service they will hear from (tests/journeys/test_enrolment.py
# checks the welcome against where problems and alerts then go).
STAFF = {Role.PROVIDER: ("Sunrise Care", text("consent.given.provider", name="Kit",
                                              services="Home Care East")),
         Role.DUTY_CONTACT: ("Sunrise Care",  # named for no service yet
                             text("consent.given.duty_contact.none", name="Kit")),
         Role.COMMISSIONER: ("Testshire Council", text("consent.given.commissioner",
                                                       name="Kit", services="Home Care East")),
         Role.BOARD_MEMBER: ("Testshire Council",
                             text("consent.given.board_member", name="Kit"))}


@pytest.mark.parametrize("role", list(STAFF))
async def test_staff_are_welcomed_in_their_role(local: LocalBot, world: World,
                                                role: Role) -> None:
    who = await enrol(local, world, 6001, "Kit", role=role)
    place, welcome = STAFF[role]
    assert who.texts()[0] == text("consent.ask.staff", name="Kit", role=text(f"role.{role}"),
                                  place=place, what=text(f"role_sends.{role}"))
    assert who.texts()[1] == welcome
    who.send_command("help")
    await local.settle()
    assert who.texts()[-1] == text(f"help.{role}")


async def test_a_board_member_gets_the_weekly_digest(local: LocalBot, world: World,
                                                     clock: SimulatedClock) -> None:
    board = await enrol(local, world, 6002, "Bea", role=Role.BOARD_MEMBER)
    board.send_command("digest")
    await local.settle()
    assert board.texts()[-1] == text("digest.which")
    board.press_label("The last 7 days")
    await local.settle()
    assert board.texts()[-3].startswith("Here is your report")
    before = len(board.inbox)
    clock.advance(timedelta(days=7, hours=2))  # past Monday 09:00
    await local.tick()
    await local.settle()
    assert board.texts()[before].startswith("Here is your report")


async def test_a_provider_gets_a_digest_of_their_own_services(
        local: LocalBot, world: World) -> None:
    db, now = local.runtime.db, local.runtime.clock.now()
    other = await directory.add_organisation(db, "provider", "Elsewhere Ltd", now)
    await directory.add_service(db, council_id=world.council_id, provider_id=other.id,
                                name="Elsewhere Day Centre", kind="day service", now=now)
    priya = await enrol(local, world, 6003, "Priya", role=Role.PROVIDER)
    priya.send_command("digest")
    await local.settle()
    priya.press_label("The last 4 weeks")
    await local.settle()
    summary = priya.texts()[-3]
    assert summary.startswith("Here is your report") and world.service_name in summary
    assert "Elsewhere" not in summary


async def test_a_reader_chooses_the_day_their_digest_comes(local: LocalBot, world: World,
                                                          clock: SimulatedClock) -> None:
    alex = await enrol(local, world, 6004, "Alex", role=Role.COMMISSIONER)
    alex.send_command("digest")
    await local.settle()
    alex.press_label("Change the day it comes")
    await local.settle()
    alex.press_label("Thursday")
    await local.settle()
    assert alex.texts()[-1] == text("digest.day_saved", day="Thursday")
    before = len(alex.inbox)
    clock.set(clock.now().replace(hour=10) + timedelta(days=2))  # Wednesday
    await local.tick()
    await local.settle()
    assert len(alex.inbox) == before, "Monday's digest is no longer theirs"
    clock.set(clock.now() + timedelta(days=1))  # Thursday 10:00
    await local.tick()
    await local.settle()
    assert alex.texts()[before].startswith("Here is your report")
