"""Each role has its own welcome, help and menu, and gets only what it is for: staff are
not asked the consent question for people who draw on care, and a board member gets the
council's digest (no names) each week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conversations.texts import text
from emulator.harness import LocalBot
from settings.clock import SimulatedClock
from storage.models import Role
from tests.helpers import World, enrol

STAFF = {Role.PROVIDER: "Sunrise Care", Role.DUTY_CONTACT: "Home Care East",
         Role.COMMISSIONER: "Testshire Council", Role.BOARD_MEMBER: "Testshire Council"}


@pytest.mark.parametrize("role", list(STAFF))
async def test_staff_are_welcomed_in_their_role(local: LocalBot, world: World,
                                                role: Role) -> None:
    who = await enrol(local, world, 6001, "Kit", role=role)
    place = world.service_name if role is Role.DUTY_CONTACT else STAFF[role]
    if role is Role.PROVIDER:
        place = world.service_name  # invited through the service they run
    assert who.texts()[0] == text("consent.ask.staff", name="Kit", role=text(f"role.{role}"),
                                  place=place, what=text(f"role_sends.{role}"))
    assert who.texts()[1] == text(f"consent.given.{role}", name="Kit")
    who.send_command("help")
    await local.settle()
    assert who.texts()[-1] == text(f"help.{role}")


async def test_a_board_member_gets_the_weekly_digest(local: LocalBot, world: World,
                                                     clock: SimulatedClock) -> None:
    board = await enrol(local, world, 6002, "Bea", role=Role.BOARD_MEMBER)
    board.send_command("digest")
    await local.settle()
    assert board.texts()[-3].startswith("Here is your weekly report")
    before = len(board.inbox)
    clock.advance(timedelta(days=7, hours=2))  # past Monday 09:00
    await local.tick()
    await local.settle()
    assert board.texts()[before].startswith("Here is your weekly report")
