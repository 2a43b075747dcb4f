"""One declaration of what each role can do (`bot.menu.COMMANDS`): the running bot
registers exactly those commands, each role's menu shows exactly its own, and each role's
/help names exactly the same ones."""

from __future__ import annotations

import json
import re

import pytest
from telegram.ext import CommandHandler

from carebot.bot.handlers.help_and_talk import help_key
from carebot.bot.menu import COMMANDS, EVERYONE, commands_for, may_use, menu_text, names_for
from carebot.conversations.texts import TEXTS, text
from carebot.emulator.harness import LocalBot
from carebot.storage.models import Role
from tests.helpers import World, enrol


def _named_in(words: str) -> set[str]:
    return set(re.findall(r"(?<![\w/])/([a-z]+)\b", words))


async def test_the_bot_answers_exactly_the_declared_commands(local: LocalBot) -> None:
    registered = {name for handlers in local.app.handlers.values() for handler in handlers
                  if isinstance(handler, CommandHandler) for name in handler.commands}
    assert registered == {command.name for command in COMMANDS}


def test_every_command_is_for_someone_and_has_its_menu_words() -> None:
    for command in COMMANDS:
        assert command.roles or command.before_joining, command.name
        assert f"command.{command.name}" in TEXTS, command.name
        assert command.does and not command.does.endswith("."), command.name


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r or "not enrolled")
def test_the_menu_is_the_declaration(role: Role | None) -> None:
    menu = commands_for(role)
    assert tuple(c.command for c in menu) == names_for(role)
    assert [c.description for c in menu] == [menu_text(c.command, role) for c in menu]
    if role is not None:
        assert all(may_use(role, c.command) for c in menu)


def test_someone_not_enrolled_is_offered_joining_and_help_only() -> None:
    assert names_for(None) == ("start", "help")


@pytest.mark.parametrize("role", list(Role))
def test_each_roles_help_names_exactly_what_it_may_use(role: Role) -> None:
    """/help is written in each role's own words, so it is checked rather than made."""
    named = _named_in(text(help_key(role))) - {"help"}
    assert named == set(names_for(role)) - {"help"}


def test_only_people_and_carers_may_talk_or_forget_and_everyone_sees_their_data() -> None:
    for name in ("talk", "forget"):
        assert {role for role in Role if may_use(role, name)} == {Role.PERSON, Role.CARER}
    assert {role for role in Role if may_use(role, "mydata")} == EVERYONE
    assert {role for role in Role if may_use(role, "digest")} == {
        Role.PROVIDER, Role.COMMISSIONER, Role.BOARD_MEMBER}


def test_staff_are_not_told_stop_means_no_more_check_ins() -> None:
    assert menu_text("stop", Role.PERSON) == text("command.stop")
    assert menu_text("stop", Role.DUTY_CONTACT) == text("command.stop.staff")


@pytest.mark.parametrize("role", [Role.PERSON, Role.CARER, Role.DUTY_CONTACT,
                                  Role.BOARD_MEMBER])
async def test_the_menu_a_person_gets_on_joining_is_their_roles(local: LocalBot,
                                                                world: World,
                                                                role: Role) -> None:
    kim = await enrol(local, world, 3101, "Kim", role=role)
    scope = json.dumps([{"type": "chat", "chat_id": kim.id}, ""], sort_keys=True)
    shown = local.emulator.commands[scope]
    assert [(c["command"], c["description"]) for c in shown] == [
        (c.command, c.description) for c in commands_for(role)]
