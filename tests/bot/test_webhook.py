"""Updates by webhook, end to end: `carebot run --webhook URL --listen HOST:PORT` (a real
process, bot/webhook.py's server) sets the webhook with a secret token; the emulator
posts each update to it as Telegram does, and the person is answered. A request without
the secret, with a wrong one, or to another path is refused; getUpdates is refused while
the webhook is set; and starting again without --webhook deletes it, so polling takes
over with nothing lost."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp

from carebot.emulator.harness import LOCAL_TOKEN
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotApiEmulator
from carebot.emulator.webhook_delivery import SECRET_HEADER
from tests.helpers import REPO, free_port, until


def _start(database: Path, emulator: BotApiEmulator, *options: str,
           log: Path | None = None) -> subprocess.Popen[bytes]:
    """`carebot run`, its log kept in `log` if given."""
    env = {"PATH": os.environ.get("PATH", ""), "CAREBOT_TOKEN": LOCAL_TOKEN,
           "CAREBOT_BASE_URL": emulator.base_url, "CAREBOT_DATABASE": str(database),
           "CAREBOT_OUTPUT_DIR": str(database.parent), "CAREBOT_HEALTH_PORT": "0",
           "CAREBOT_NIGHTLY_BACKUP": "false"}
    if log is None:
        return subprocess.Popen([sys.executable, "-m", "carebot.cli.main", "run", *options],
                                cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    with log.open("wb") as written:
        return subprocess.Popen([sys.executable, "-m", "carebot.cli.main", "run", *options],
                                cwd=REPO, env=env, stdout=written, stderr=written)


async def _stop(bot: subprocess.Popen[bytes]) -> int | None:
    bot.send_signal(signal.SIGTERM)
    await until(lambda: bot.poll() is not None)
    return bot.poll()


async def _post(url: str, headers: dict[str, str]) -> int:
    update = {"update_id": 999, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 666, "type": "private"},
        "from": {"id": 666, "is_bot": False, "first_name": "Mallory"}, "text": "/start"}}
    async with aiohttp.ClientSession() as web, web.post(url, json=update,
                                                       headers=headers) as answer:
        return answer.status


async def _get_updates(emulator: BotApiEmulator) -> int:
    url = f"{emulator.base_url}{LOCAL_TOKEN}/getUpdates"
    async with aiohttp.ClientSession() as web, web.post(url, json={}) as answer:
        return answer.status


async def test_updates_come_by_webhook_with_its_secret_and_polling_takes_over_again(
        tmp_path: Path, emulator_for_a_process: BotApiEmulator) -> None:
    emulator = emulator_for_a_process
    database = tmp_path / "carebot.sqlite3"
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = _start(database, emulator, "--webhook", url, "--listen", f"127.0.0.1:{port}")
    sam = SimulatedPerson(emulator, 9101, "Sam")
    try:
        await until(lambda: emulator.webhook is not None)
        webhook = emulator.webhook
        assert webhook is not None and webhook.url == url and webhook.secret_token
        sam.send_text("hello")
        await until(lambda: len(sam.inbox) >= 1)  # delivered by POST, answered
        assert webhook.delivered >= 1 and emulator.unconfirmed_updates == 0

        replies = emulator.calls["sendMessage"]
        assert await _post(url, {}) == 403  # no secret
        assert await _post(url, {SECRET_HEADER: "guessed"}) == 403
        assert await _post(f"http://127.0.0.1:{port}/other", {
            SECRET_HEADER: webhook.secret_token}) == 404
        await asyncio.sleep(0.5)
        assert emulator.calls["sendMessage"] == replies  # none reached a handler
        assert await _get_updates(emulator) == 409  # Telegram refuses both at once
        assert await _stop(bot) == 0

        sam.send_text("are you there?")  # while it is down: Telegram keeps it
        bot = _start(database, emulator)  # polling again
        await until(lambda: emulator.webhook is None)  # it deleted the webhook
        await until(lambda: len(sam.inbox) >= 2)  # and took what waited
    finally:
        if bot.poll() is None:
            await _stop(bot)


async def test_an_update_that_cannot_be_read_is_set_aside_once_and_never_logged(
        tmp_path: Path, emulator_for_a_process: BotApiEmulator) -> None:
    """Answered 200 so Telegram moves on, kept by its id alone, its words in no log, and
    the next person answered at once (PTB's server answered 400 and logged it whole, so
    Telegram sent it again and again while everyone waited)."""
    emulator = emulator_for_a_process
    database = tmp_path / "carebot.sqlite3"
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    log = tmp_path / "bot.log"
    bot = _start(database, emulator, "--webhook", url, "--listen", f"127.0.0.1:{port}",
                 log=log)
    sam = SimulatedPerson(emulator, 9102, "Sam")
    try:
        await until(lambda: emulator.webhook is not None)
        webhook = emulator.webhook
        assert webhook is not None and webhook.secret_token is not None
        unreadable = {"update_id": 777, "message": {"message_id": "not a number", "text":
                      "Private words from Ann Smith"}}
        async with aiohttp.ClientSession() as web, web.post(
                url, json=unreadable, headers={SECRET_HEADER: webhook.secret_token}) as sent:
            assert sent.status == 200
        sam.send_text("hello")
        await until(lambda: len(sam.inbox) >= 1, 10)
    finally:
        await _stop(bot)
    assert "Ann Smith" not in log.read_text() and "update 777" in log.read_text()
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT body, status FROM updates_received WHERE update_id = 777"
                            ).fetchall() == [(None, "set_aside")]
