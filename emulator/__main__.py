"""`python -m carebot.emulator`: the local Bot API on its own, for running `carebot run` against it
(with CAREBOT_BASE_URL and CAREBOT_TOKEN), with faults injected where asked. Simulated people
are driven over HTTP (`/_emulator/...`, see control.py). Runs until stopped."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Sequence

from carebot.bot.flood import FloodLimits
from carebot.emulator.control import add_control_routes
from carebot.emulator.faults import Fault
from carebot.emulator.harness import LOCAL_TOKEN
from carebot.emulator.server import BotApiEmulator


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m carebot.emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=LOCAL_TOKEN)
    parser.add_argument("--fault", action="append", default=[], metavar="METHOD:KIND:EVERY",
                        help="e.g. sendMessage:500:3 (kinds: 429, 500, drop_before, "
                             "drop_after, slow); may be given more than once")
    parser.add_argument("--no-flood-limits", action="store_true",
                        help="measure Telegram's flood limits but do not answer 429")
    parser.add_argument("--allow-local-webhook", action="store_true",
                        help="let setWebhook take http:// on this machine at any port "
                             "(Telegram takes only https:// on ports 80, 88, 443, 8443)")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    emulator = BotApiEmulator(args.token, enforce_flood_limits=not args.no_flood_limits,
                              limits=FloodLimits(),
                              faults=[Fault.parse(rule) for rule in args.fault],
                              allow_local_webhook=args.allow_local_webhook)
    await emulator.start(args.port, more_routes=lambda app: add_control_routes(app, emulator))
    print(f"Bot API emulator on {emulator.base_url} (token {args.token})", flush=True)
    await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(_arguments(argv)))


if __name__ == "__main__":
    main()
