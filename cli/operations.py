"""Commands an operator runs on the server, beside the bot: is it healthy, take a backup,
put one back, let old words go."""

from __future__ import annotations

import argparse
import asyncio
import urllib.error
import urllib.request

from cli import admin

ASK_TIMEOUT = 10  # seconds; /healthz itself gives the database 2


def health_url(host: str, port: int) -> str:
    """Where the running bot answers /healthz (a bot listening on every address is asked
    on this machine's own)."""
    host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    host = "[::1]" if host == "::" else host
    return f"http://{host}:{port}/healthz"


async def healthcheck(args: argparse.Namespace) -> int:
    config = admin.config_of(args)
    if not config.health_port:
        print("The health endpoint is off (health_port = 0).")
        return 1
    url = health_url(config.health_host, config.health_port)
    try:
        status, said = await asyncio.to_thread(_ask, url)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", None) or error or type(error).__name__
        print(f"The bot did not answer at {url}: {reason}")
        return 1
    print(said if status == 200 else f"Not healthy: {said}")
    return 0 if status == 200 else 1


def _ask(url: str) -> tuple[int, str]:
    """GET url: its status and text, a 503's reasons included."""
    try:
        with urllib.request.urlopen(url, timeout=ASK_TIMEOUT) as answer:
            return int(answer.status), answer.read().decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace").strip()
