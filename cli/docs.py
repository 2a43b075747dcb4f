"""Documentation made from the code, so it cannot drift: the `carebot` command's (the
README's table and docs/cli.md, from the registered subcommands and their parsers) and
the README's table of what each role can do in the chat (from `bot.menu.COMMANDS`, which
the menu, the handlers' role checks and /help follow too). `make docs` writes them with
cog; `make lint` fails if they drift."""

from __future__ import annotations

import argparse
import re

from carebot.bot import menu
from carebot.cli.arguments import COMMANDS, parser, subparsers_of
from carebot.storage.models import Role

# Who, in the README's words; in the order of `Role`.
_PLURAL = {Role.PERSON: "people", Role.CARER: "carers", Role.PROVIDER: "providers",
           Role.COMMISSIONER: "commissioners", Role.DUTY_CONTACT: "duty contacts",
           Role.BOARD_MEMBER: "board members", Role.ADMIN: "admins"}


def synopsis(name: str, sub: argparse.ArgumentParser) -> str:
    """`carebot invite --role ROLE [--service ID] …`, without -h and choice lists."""
    usage = " ".join(sub.format_usage().split())
    usage = usage.removeprefix("usage: ").replace(" [-h]", "")
    return re.sub(r"\{([^}]*)\}", lambda m: m[1].replace(",", "|"), usage)


def command_table() -> str:
    subs = subparsers_of(parser())
    rows = ["| command | what it does | example |", "|---|---|---|"]
    for command in COMMANDS:
        usage = synopsis(command.name, subs[command.name]).replace("|", "\\|")
        rows.append(f"| `{usage}` | {command.help} | `{command.example}` |")
    return "\n".join(rows) + "\n"


def reference() -> str:
    """Every subcommand's whole help, as `carebot COMMAND --help` prints it."""
    subs = subparsers_of(parser())
    parts = ["# The `carebot` command\n",
             "Generated from the argument parser by `make docs`; do not edit by hand.\n",
             "```text\n" + parser().format_help() + "```\n"]
    for command in COMMANDS:
        parts.append(f"## `carebot {command.name}`\n")
        parts.append("```text\n" + subs[command.name].format_help() + "```\n")
    return "\n".join(parts)


def who(command: menu.ChatCommand) -> str:
    """The roles that may use `command`, as the README's "who" column says them."""
    if command.roles == menu.EVERYONE:
        return "everyone"
    if not command.roles:
        return "anyone with an invite" if command.before_joining else "nobody"
    return ", ".join(_PLURAL[role] for role in Role if role in command.roles)


def chat_command_table() -> str:
    """The README's table of chat commands: one row per command in `bot.menu.COMMANDS`."""
    rows = ["| command | who | what it does |", "|---|---|---|"]
    for command in menu.COMMANDS:
        usage = f"/{command.name} {command.argument}".strip()
        rows.append(f"| `{usage}` | {who(command)} | {command.does} |")
    rows += ["", "A command that is not for someone's role gets a short reply saying what they "
             "can do instead."]
    return "\n".join(rows) + "\n"
