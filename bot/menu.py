"""The commands menu (Telegram's "/" list): what each role can do, in their own chat."""

from __future__ import annotations

import contextlib

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import BadRequest

from bot.telegram_bot import CarebotBot
from conversations.texts import text
from storage.models import Role

COMMANDS_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.PERSON: ("checkin", "talk", "mine", "schedule", "pause", "resume", "stop", "mydata",
                  "forget", "help"),
    Role.CARER: ("talk", "mine", "schedule", "checkin", "pause", "resume", "stop", "mydata",
                 "forget", "help"),
    Role.PROVIDER: ("issues", "action", "digest", "notices", "mydata", "help"),
    Role.COMMISSIONER: ("issues", "action", "digest", "mydata", "help"),
    Role.DUTY_CONTACT: ("issues", "mydata", "help"),
    Role.BOARD_MEMBER: ("digest", "mydata", "help"),
}
STAFF_COMMANDS = ("help",)
DEFAULT_COMMANDS = ("start", "help")


def commands_for(role: Role | None) -> list[BotCommand]:
    names = DEFAULT_COMMANDS if role is None else COMMANDS_BY_ROLE.get(role, STAFF_COMMANDS)
    return [BotCommand(name, text(f"command.{name}")) for name in names]


async def set_menu(bot: CarebotBot, chat_id: int, role: Role) -> None:
    """The commands menu in this person's chat shows what their role can do."""
    with contextlib.suppress(BadRequest):  # the menu is a help, never a reason to fail
        await bot.set_my_commands(commands_for(role), scope=BotCommandScopeChat(chat_id))
