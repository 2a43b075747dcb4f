"""`carebot`: picks the subcommand and hands it what it needs. The one place that wires
settings, the database and the clock to the bot, the reports, the demo or the lab."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from cli import admin, directory_admin, loop_admin, operations, redacting, tagging
from cli.arguments import parser
from cli.check import check, settings_problems
from cli.logs import configure_logging
from conversations.texts import all_texts
from settings.clock import SystemClock
from settings.config import SettingsError
from storage.running import DatabaseInUseError


async def _demo(args: argparse.Namespace) -> int:
    try:
        from demo.run import run_demo
    except ModuleNotFoundError as missing:
        if missing.name != "aiohttp":
            raise
        print("The demo needs the local emulator: pip install 'carebot[demo]'",
              file=sys.stderr)
        return 2
    await run_demo(Path(args.output))
    return 0


# Seconds between one batch of updates and asking for the next. Under load each request
# then brings several updates rather than one (with thirty people answering at once,
# about one request for six updates); a person waits at most this much longer.
POLL_INTERVAL = 0.02
# How often Python lets another thread run, in seconds (its default is 0.005). The
# database's threads need the interpreter for a moment around each statement; with many
# people answering at once the event loop kept it, so each database trip waited up to
# 5 ms for it (issue 14: about 350 answers a second with the default, 390 with this).
SWITCH_INTERVAL = 0.001


def _run(args: argparse.Namespace) -> int:
    """Receive updates until stopped (Ctrl+C, SIGTERM): long polling, or a webhook."""
    from bot.application import run

    config = admin.config_of(args)
    config = replace(config, webhook_url=args.webhook or config.webhook_url,
                     webhook_listen=args.listen or config.webhook_listen)
    if problems := settings_problems(config, running=True):
        for problem in problems:
            print(f"carebot run: {problem}.", file=sys.stderr)
        return 2
    sys.setswitchinterval(SWITCH_INTERVAL)
    # The application's own start-up and shut-down hooks open and close the database.
    try:
        run(config, SystemClock(), POLL_INTERVAL)
    except DatabaseInUseError as error:
        print(f"carebot run: {error}.", file=sys.stderr)
        return 2
    return 0


def _texts() -> int:
    for key, words in all_texts():
        print(json.dumps({"key": key, "text": words}, ensure_ascii=False))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    os.umask(0o077)  # whatever carebot writes is the service's alone
    try:
        config = admin.config_of(args)
    except SettingsError as error:
        for problem in error.problems:
            print(f"carebot {args.command}: {problem}.", file=sys.stderr)
        return 2
    configure_logging(args.verbose, [config.token], config.log_format,
                      service=args.command == "run")
    try:
        return _command(args)
    except admin.AdminError as error:
        print(f"carebot {args.command}: {error}.", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error) as error:
        print(f"carebot {args.command}: {_plainly(error)}", file=sys.stderr)
        return 2


def _plainly(error: OSError | sqlite3.Error) -> str:
    """One line a person running the command can act on."""
    if isinstance(error, OSError):
        return f"{error.strerror or error} ({error.filename or 'a file'})."
    if "locked" in str(error):
        return "the database is busy (is carebot running?). Try again when it has stopped."
    return f"the database could not be used: {error}."


def _command(args: argparse.Namespace) -> int:
    if args.command == "run":
        return _run(args)
    if args.command == "texts":
        return _texts()
    if args.command == "redact":
        return redacting.run(args)
    if args.command in ("tag", "eval", "train"):
        return tagging.run(args)
    if args.command == "demo":
        return asyncio.run(_demo(args))
    commands = {"check": check, "healthcheck": operations.healthcheck,
                "backup": operations.backup, "restore": operations.restore_backup,
                "retention": operations.retention,
                **admin.COMMANDS,
                **directory_admin.COMMANDS, **loop_admin.COMMANDS}
    return asyncio.run(commands[args.command](args))


if __name__ == "__main__":
    raise SystemExit(main())
