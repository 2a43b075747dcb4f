"""The handlers' role checks say what `bot.menu.COMMANDS` says: every role is refused
every command not declared for it (kindly, and with nothing done), and none of its own.
So the README's table, the menu and /help, all made from or checked against the same
declaration, describe what the bot really does."""

from __future__ import annotations

import itertools

import pytest

from carebot.bot.handlers.help_and_talk import help_key
from carebot.bot.menu import COMMANDS, names_for
from carebot.conversations.texts import text
from carebot.storage.models import Role
from tests.conftest import SharedBot
from tests.helpers import enrol

pytestmark = pytest.mark.asyncio(loop_scope="module")

_users = itertools.count(31000)


def _refusals(role: Role) -> set[str]:
    return {text("odd.not_allowed"), text("forget.staff"),
            text("talk.staff", help=text(help_key(role)))}


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_may_use_its_commands_and_no_others(shared_bot: SharedBot,
                                                            role: Role) -> None:
    local, world = shared_bot.local, shared_bot.world
    kim = await enrol(local, world, next(_users), "Kim", role=role)
    db = local.runtime.db
    alerts_before = await db.scalar("SELECT COUNT(*) FROM alerts")
    mine = [name for name in names_for(role) if name != "stop"] + ["stop"]  # stop ends it
    others = [c.name for c in COMMANDS if c.name not in mine and c.name != "start"]
    for name in others:
        before = len(kim.inbox)
        kim.send_command(name)
        await local.settle()
        replies = kim.texts()[before:]
        assert len(replies) == 1 and replies[0] in _refusals(role), (name, replies)
    assert await db.scalar("SELECT COUNT(*) FROM alerts") == alerts_before
    for name in mine:
        before = len(kim.inbox)
        kim.send_command(name)
        await local.settle()
        replies = kim.texts()[before:]
        assert replies, f"/{name} for {role}: no reply"
        assert not set(replies) & _refusals(role), (name, replies)
