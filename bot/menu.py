"""What each role can do in the chat, declared once in `COMMANDS`: the commands menu
(Telegram's "/" list) is made from it, handlers check roles with `may_use`, the tests hold
each role's /help and the handlers' refusals to it, and `cli/docs.py` makes the README's
table from it. So none of them can say something the others do not."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import BadRequest

from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations.texts import TEXTS, text
from carebot.reports.weekly import DIGEST_READERS
from carebot.storage.models import PEOPLE_ROLES, STAFF_ROLES, Role

EVERYONE = frozenset(Role)
PEOPLE = PEOPLE_ROLES  # people who draw on care, and carers
STAFF = STAFF_ROLES


@dataclass(frozen=True)
class ChatCommand:
    """A command people type in the chat.

    `roles` may use it once they have joined, and see it in their menu and their /help;
    `before_joining` is offered to someone not enrolled yet too. `does` is its line in the
    README's table (the menu's words are the text `command.NAME`)."""

    name: str
    roles: frozenset[Role]
    does: str
    before_joining: bool = False
    argument: str = ""  # shown after the command in the README, e.g. "CODE"


# In the order menus, /help and the README show them. Once someone has joined, /start
# only welcomes them back or moves them with a new code, so no role is offered it.
COMMANDS: tuple[ChatCommand, ...] = (
    ChatCommand("start", frozenset(), "join, after saying yes to taking part",
                before_joining=True, argument="CODE"),
    ChatCommand("checkin", PEOPLE, "a check-in now (or the one waiting, shown again)"),
    ChatCommand("talk", PEOPLE,
                "ask the service to get in touch; \"Talk to a person\" is on every "
                "question too"),
    ChatCommand("mine", PEOPLE,
                "what they sent and where each one stands; \"any news on CB-1001?\" works "
                "too, for their own references only"),
    ChatCommand("schedule", PEOPLE,
                "choose how often, which day, and morning, afternoon or evening"),
    ChatCommand("pause", PEOPLE, "a break of one, two or four weeks, or until `/resume`"),
    ChatCommand("resume", PEOPLE, "check-ins start again after a break"),
    ChatCommand("issues", frozenset({Role.PROVIDER, Role.COMMISSIONER, Role.DUTY_CONTACT}),
                "what is open at their own services, oldest first, with buttons: seen, "
                "working on it, sorted (with a note they type and confirm), closed with no "
                "change (with a reason); the person who raised it hears each step and is "
                "asked \"Was this OK?\""),
    ChatCommand("read", frozenset({Role.PROVIDER, Role.COMMISSIONER, Role.DUTY_CONTACT}),
                "everything people and carers sent to their own services that nobody has "
                "read yet, the most worrying first, with buttons: read, safeguarding "
                "concern (with a note they type; it goes up the alert chain), raise as a "
                "problem, not a concern; one tap marks a page read. A commissioner sees "
                "only what has waited twice `read_within_hours`"),
    ChatCommand("notices", frozenset({Role.PROVIDER}),
                "hear of each new problem as it comes, or in one summary each morning"),
    ChatCommand("action", frozenset({Role.PROVIDER, Role.COMMISSIONER}),
                "\"you said, we did\": pick a service and a theme, type what changed; it "
                "goes to that service's people and carers at a time that suits them, and "
                "into the next digests"),
    ChatCommand("digest", frozenset(DIGEST_READERS),
                "a digest now, for the last 7 days, the last full week or the last 4 weeks "
                "(it has no names), or a new day for the weekly one; a provider's has only "
                "its own services"),
    ChatCommand("language", EVERYONE,
                "the language carebot speaks to them, from buttons in each language's own "
                "name (the first guess is their Telegram app's language, or their invite's)"),
    ChatCommand("easyread", frozenset({Role.PERSON}),
                "easy-read check-ins: one short sentence a message, three answers with "
                "pictures"),
    ChatCommand("mydata", EVERYONE, "what carebot keeps about them, who sees it and for how "
                "long, in plain words, with everything in a file"),
    ChatCommand("forget", PEOPLE,
                "after a yes: their name and every word they wrote are deleted; their "
                "button answers stay with no name, so past counts stay true; safeguarding "
                "alerts are kept, as the law asks"),
    ChatCommand("stop", EVERYONE,
                "no more check-ins (staff: no more alerts, problems or reports); `/start` "
                "to come back"),
    ChatCommand("help", EVERYONE, "what they can do, in their role's words",
                before_joining=True),
)
_BY_NAME = {command.name: command for command in COMMANDS}


def roles_for(name: str) -> frozenset[Role]:
    """The roles that may use `/name` (KeyError for a command never declared)."""
    return _BY_NAME[name].roles


def may_use(role: Role, name: str) -> bool:
    return role in roles_for(name)


def names_for(role: Role | None) -> tuple[str, ...]:
    """The commands `role` may use (None: someone not enrolled yet), in menu order."""
    return tuple(command.name for command in COMMANDS
                 if (command.before_joining if role is None else role in command.roles))


# Kept for readers of the old table (e.g. tests/faults): made from COMMANDS, never edited.
COMMANDS_BY_ROLE: dict[Role, tuple[str, ...]] = {role: names_for(role) for role in Role}


def menu_text(name: str, role: Role | None) -> str:
    """The command's few words in the menu; staff may have their own (`command.NAME.staff`),
    where the words for people would mislead them."""
    staff_key = f"command.{name}.staff"
    if role in STAFF and staff_key in TEXTS:
        return text(staff_key)
    return text(f"command.{name}")


def commands_for(role: Role | None) -> list[BotCommand]:
    return [BotCommand(name, menu_text(name, role)) for name in names_for(role)]


async def set_menu(bot: CarebotBot, chat_id: int, role: Role) -> None:
    """The commands menu in this person's chat shows what their role can do."""
    with contextlib.suppress(BadRequest):  # the menu is a help, never a reason to fail
        await bot.set_my_commands(commands_for(role), scope=BotCommandScopeChat(chat_id))
