"""Each admin command that worked goes into the audit log: who ran it (the account, or
the one who used sudo to run it as the service), what, and about which person, service
or organisation (kept as ids and shown with today's names). A name typed on the command
line, or a note's words, are left out: the log keeps no personal words."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import shlex

from carebot.cli.registry import Command
from carebot.settings.clock import SystemClock
from carebot.settings.config import Config
from carebot.storage import audit
from carebot.storage.db import open_database

# Options that are not about the work, or are the words of a note (the log of actions
# keeps those), or (for an invite) the name of the person invited.
LEFT_OUT = {"config", "verbose", "command", "did", "said"}
LEFT_OUT_OF = {"invite": {"name"}}
# Options naming something the log shows by its name.
SUBJECT, SERVICE, ORGANISATION = ("person",), ("service",), ("council", "organisation",
                                                              "provider")


def who_ran_it() -> str:
    """The account behind the command: `sudo -u carebot carebot …` is the admin's own."""
    return os.environ.get("SUDO_USER") or getpass.getuser()


def event_of(command: Command, args: argparse.Namespace) -> audit.AuditEvent:
    """The command as it was typed (options left at their defaults left out), with the
    person, service and organisation it named kept as ids for their names."""
    left_out = LEFT_OUT | LEFT_OUT_OF.get(command.name, set())
    given = {dest: (flag, value) for dest, flag, default in _options(command)
             if dest not in left_out and (value := getattr(args, dest, None)) is not None
             and value is not False and value != default and value != ""}
    what = given.pop("what", None)  # list, set-duty-contact…: part of what was done
    named = {kind: next((dest for dest in dests if dest in given), None)
             for kind, dests in (("subject", SUBJECT), ("service", SERVICE),
                                 ("organisation", ORGANISATION))}
    detail = " ".join(_typed(flag, value) for dest, (flag, value) in given.items()
                      if dest not in named.values())
    doing = " ".join(["carebot", command.name, *([str(what[1])] if what else [])])

    def id_of(kind: str) -> int | None:
        dest = named[kind]
        return None if dest is None else int(given[dest][1])

    return audit.AuditEvent(doing, actor=who_ran_it(), subject_id=id_of("subject"),
                            service_id=id_of("service"),
                            organisation_id=id_of("organisation"), detail=detail or None)


def _typed(flag: str | None, value: object) -> str:
    """One option as typed: `--force`, `--name 'Home Care'`, or a positional's value."""
    if value is True:
        return flag or ""
    return shlex.quote(str(value)) if flag is None else f"{flag} {shlex.quote(str(value))}"


def _options(command: Command) -> list[tuple[str, str | None, object]]:
    """Each argument's (dest, the flag it was typed with or None, default), in order."""
    found = []
    for each in command.arguments:
        long = [flag for flag in each.flags if flag.startswith("--")]
        dest = each.options.get("dest") or (long[0][2:].replace("-", "_") if long
                                            else each.flags[0])
        found.append((dest, long[0] if long else None, each.options.get("default")))
    return found


def record_command(command: Command, args: argparse.Namespace, config: Config) -> None:
    """Keep the command in the log of the database it worked on (after a restore: the
    database put back), if there is one."""
    file = config.database_file
    if not command.audited or (file is not None and not file.exists()):
        return
    asyncio.run(_record(event_of(command, args), config))


async def _record(event: audit.AuditEvent, config: Config) -> None:
    db = await open_database(config.database, config.backup_folder)
    try:
        await audit.record(db, [event], SystemClock().now())
    finally:
        await db.close()
