"""Each admin command that worked goes into the audit log: who ran it (the account, or
the one who used sudo to run it as the service), what, and about which person, service
or organisation (kept as ids and shown with today's names). A name typed on the command
line, or a note's words, are left out: the log keeps no personal words."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os

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
    left_out = LEFT_OUT | LEFT_OUT_OF.get(command.name, set())
    given = {key: value for key, value in vars(args).items()
             if key not in left_out and value not in (None, False, "")}
    named = {kind: next((key for key in keys if key in given), None)
             for kind, keys in (("subject", SUBJECT), ("service", SERVICE),
                                ("organisation", ORGANISATION))}
    doing = " ".join(["carebot", command.name, *(str(given.pop(key)) for key in ("what",)
                                                  if key in given)])
    detail = " ".join(
        [str(given.pop(key)) for key in ("code",) if key in given]
        + [f"--{key.replace('_', '-')}" + ("" if value is True else f" {value}")
           for key, value in given.items() if key not in named.values()])
    return audit.AuditEvent(
        doing, actor=who_ran_it(),
        subject_id=given.get(named["subject"] or ""),
        service_id=given.get(named["service"] or ""),
        organisation_id=given.get(named["organisation"] or ""), detail=detail or None)


def record_command(command: Command, args: argparse.Namespace, config: Config) -> None:
    """Keep the command in the log of the database it worked on (after a restore: the
    database put back), if there is one."""
    if not command.audited or not config.database.exists():
        return
    asyncio.run(_record(event_of(command, args), config))


async def _record(event: audit.AuditEvent, config: Config) -> None:
    db = await open_database(config.database, config.backup_folder)
    try:
        await audit.record(db, [event], SystemClock().now())
    finally:
        await db.close()
