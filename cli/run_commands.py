"""`carebot demo` and `carebot run`: the bot offline against the local emulator, or for
real against Telegram."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from pathlib import Path

from carebot.cli import admin
from carebot.cli.check import settings_problems
from carebot.cli.registry import argument, command
from carebot.settings.clock import SystemClock
from carebot.storage.running_lock import DatabaseInUseError


@command("demo", "three weeks of carebot, offline, ending in reports",
         example="carebot demo --output demo-output",
         arguments=[argument("--output", default="demo-output", metavar="DIR",
                             help="folder for the digest and data"),
                    argument("--postgresql", metavar="ADDRESS",
                             help="keep the demo's data on this PostgreSQL server, in a "
                             "schema of its own (carebot_demo, made anew each run), e.g. "
                             "postgresql://127.0.0.1/postgres")])
def demo(args: argparse.Namespace) -> int:
    return asyncio.run(_demo(args))


async def _demo(args: argparse.Namespace) -> int:
    try:
        from carebot.demo.run import run_demo
    except ModuleNotFoundError as missing:
        if missing.name != "aiohttp":
            raise
        print("The demo needs the local emulator: pip install 'carebot[demo]'",
              file=sys.stderr)
        return 2
    await run_demo(Path(args.output), postgresql=args.postgresql)
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


@command("run", "run the bot against Telegram (needs CAREBOT_TOKEN): long polling, or a "
         "webhook behind a reverse proxy with --webhook",
         example="carebot run --webhook https://carebot.example.org/telegram --listen "
         "127.0.0.1:8443",
         arguments=[
             argument("--webhook", metavar="URL",
                      help="receive updates at this https:// address instead of long "
                      "polling (or set webhook_url)"),
             argument("--listen", metavar="HOST:PORT",
                      help="where the webhook's server listens (webhook_listen; default "
                      "127.0.0.1:8443)"),
         ])
def run(args: argparse.Namespace) -> int:
    """Receive updates until stopped (Ctrl+C, SIGTERM): long polling, or a webhook."""
    from carebot.bot.application import run as run_bot

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
        run_bot(config, SystemClock(), POLL_INTERVAL)
    except DatabaseInUseError as error:
        print(f"carebot run: {error}.", file=sys.stderr)
        return 2
    return 0
