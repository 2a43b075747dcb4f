"""kill -9 in the middle of a send-out, then a restart: no message is lost, and at most
`max_in_flight` go out twice. The bot is a real `carebot run` process talking over HTTP
to the emulator, which enforces Telegram's flood limits and can inject network faults."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from emulator.faults import Fault
from emulator.harness import LOCAL_TOKEN
from emulator.people import SimulatedPerson
from emulator.server import BotApiEmulator, BotMessage
from settings.clock import SystemClock
from settings.config import Config
from storage import directory, outbox
from storage.db import open_database
from storage.models import Purpose, Role
from tests.helpers import REPO, free_port, small_world, until

pytestmark = pytest.mark.slow

MESSAGES = 500  # a send-out to 500 people: about 17 s at Telegram's 30 a second
FIRST_CHAT = 30000
IN_FLIGHT = Config().max_in_flight
HEALTH_PORT = free_port()


@pytest.fixture
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[BotApiEmulator]:
    faults: Sequence[Fault] = getattr(request, "param", ())
    emu = BotApiEmulator(LOCAL_TOKEN, enforce_flood_limits=True, faults=faults)
    await emu.start()
    yield emu
    await emu.stop()


async def _queue_messages(database: Path, emulator: BotApiEmulator) -> None:
    db = await open_database(database)
    now = SystemClock().now()
    for n in range(MESSAGES):
        chat = emulator.chat_for({"id": FIRST_CHAT + n, "is_bot": False, "first_name": "P"})
        await outbox.enqueue(db, outbox.NewMessage(chat.chat_id, Purpose.TALK_REQUEST,
                                                   text=f"message {n}"), now)
    await db.close()


def _settings(database: Path, emulator: BotApiEmulator) -> dict[str, str]:
    """Backups (and the sent journal) on a disk of their own, beside the database's."""
    return {"PATH": os.environ.get("PATH", ""), "CAREBOT_TOKEN": LOCAL_TOKEN,
            "CAREBOT_BASE_URL": emulator.base_url, "CAREBOT_DATABASE": str(database),
            "CAREBOT_TICK_SECONDS": "0.5", "CAREBOT_OUTPUT_DIR": str(database.parent),
            "CAREBOT_HEALTH_PORT": str(HEALTH_PORT),
            "CAREBOT_BACKUP_DIR": str(database.parent.parent / "backup-disk")}


def _start_bot(database: Path, emulator: BotApiEmulator) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "run"], cwd=REPO,
                            env=_settings(database, emulator),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _carebot(database: Path, emulator: BotApiEmulator, *args: str) -> tuple[int, str]:
    """A `carebot` command beside the running bot, as an operator would type it: its exit
    code and what it printed."""
    asked = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", *args, cwd=REPO,
        env=_settings(database, emulator), stdout=subprocess.PIPE)
    said, _ = await asked.communicate()
    return await asked.wait(), said.decode().strip()


async def _healthcheck(database: Path, emulator: BotApiEmulator) -> tuple[int, str]:
    """`carebot healthcheck`, the command a container's HEALTHCHECK runs."""
    return await _carebot(database, emulator, "healthcheck")


def _delivered(emulator: BotApiEmulator) -> list[int]:
    """How many messages each of the queued chats has received."""
    return [len(emulator.chats[FIRST_CHAT + n].messages) for n in range(MESSAGES)]


@pytest.mark.parametrize("kill_after", [1, 250, 480])
async def test_kill_9_during_a_send_out_loses_nothing(tmp_path: Path, emulator: BotApiEmulator,
                                                      kill_after: int) -> None:
    database = tmp_path / "carebot.sqlite3"
    await _queue_messages(database, emulator)
    bot = _start_bot(database, emulator)
    try:
        await until(lambda: sum(_delivered(emulator)) >= kill_after, 120)
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait()
        at_kill = sum(_delivered(emulator))
        bot = _start_bot(database, emulator)
        await until(lambda: min(_delivered(emulator)) >= 1, 120)
        await asyncio.sleep(1.5)  # time for any late repeat to show
        assert await _healthcheck(database, emulator) == (0, "ok")  # restarted and healthy
    finally:
        bot.terminate()
        bot.wait()
    delivered = _delivered(emulator)
    repeated = sum(delivered) - MESSAGES
    print(f"killed after {at_kill} delivered; repeated {repeated}")
    assert delivered.count(0) == 0
    assert 0 <= repeated <= IN_FLIGHT
    assert emulator.flood_breaches == 0


def _sent_in(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
                   .fetchone()[0])


@pytest.mark.parametrize("how", ["stopped", "killed"])
async def test_a_backup_taken_during_a_send_out_restores_and_finishes_it_once(
        tmp_path: Path, emulator: BotApiEmulator, how: str) -> None:
    """The backup is taken with `carebot backup` while the send-out runs; more goes out;
    the bot stops (or is killed) and its disk is lost; the backup is restored to a new
    disk and the bot started on it finishes the send-out. The sent journal on the backup
    disk keeps what went after the backup from going again: nothing twice when the bot
    stopped, and when it was killed, at most what was in flight (as any crash)."""
    (tmp_path / "old-disk").mkdir()
    database = tmp_path / "old-disk" / "carebot.sqlite3"
    await _queue_messages(database, emulator)
    bot = _start_bot(database, emulator)
    backup = tmp_path / "backup-disk" / "during-the-send-out.sqlite3"
    try:
        await until(lambda: sum(_delivered(emulator)) >= 100, 120)
        assert (await _carebot(database, emulator, "backup", str(backup)))[0] == 0
        await until(lambda: sum(_delivered(emulator)) >= 300, 120)
        bot.send_signal(signal.SIGKILL if how == "killed" else signal.SIGTERM)
        # Waited for without blocking: a bot stopping sends what it has in flight first.
        await until(lambda: bot.poll() is not None, 60)
        at_stop = sum(_delivered(emulator))
        restored = tmp_path / "new-disk" / "carebot.sqlite3"
        code, said = await _carebot(restored, emulator, "restore", str(backup))
        assert code == 0, said
        bot = _start_bot(restored, emulator)
        await until(lambda: min(_delivered(emulator)) >= 1, 120)
        await asyncio.sleep(1.5)  # time for any late repeat to show
    finally:
        bot.terminate()
        bot.wait()
    in_backup = _sent_in(backup)
    delivered = _delivered(emulator)
    repeated = sum(delivered) - MESSAGES
    print(f"{how}: {in_backup} sent when backed up, {at_stop} at the stop; "
          f"repeated {repeated}; {said}")
    assert 100 <= in_backup < at_stop - 100  # taken mid-way, and much went after it
    assert delivered.count(0) == 0
    assert repeated == 0 if how == "stopped" else 0 <= repeated <= IN_FLIGHT
    assert emulator.flood_breaches == 0


FAULTS = [Fault("sendMessage", "500", 7), Fault("sendMessage", "drop_before", 9),
          Fault("sendMessage", "drop_after", 11), Fault("sendMessage", "429", 13),
          Fault("sendMessage", "slow", 17)]


@pytest.mark.parametrize("emulator", [FAULTS], indirect=True, ids=["faults"])
async def test_network_faults_lose_nothing_and_repeat_only_what_was_never_answered(
        tmp_path: Path, emulator: BotApiEmulator) -> None:
    database = tmp_path / "carebot.sqlite3"
    await _queue_messages(database, emulator)
    bot = _start_bot(database, emulator)
    try:
        await until(lambda: min(_delivered(emulator)) >= 1, 180)
        await asyncio.sleep(1.5)
    finally:
        bot.terminate()
        bot.wait()
    delivered = _delivered(emulator)
    injected = emulator.faults.injected
    print(f"faults injected: {dict(injected)}; repeated {sum(delivered) - MESSAGES}")
    assert delivered.count(0) == 0
    # A message delivered whose answer was lost cannot be told from one never delivered.
    assert sum(delivered) - MESSAGES <= injected["sendMessage:drop_after"]
    assert all(injected[f"sendMessage:{kind}"] for kind in ("500", "drop_before", "slow"))


async def _wait_for(person: SimulatedPerson, count: int) -> None:
    await until(lambda: len(person.inbox) >= count, 30)


async def _person_with_an_invite(database: Path, emulator: BotApiEmulator) -> tuple[
        SimulatedPerson, str]:
    db = await open_database(database)
    now = SystemClock().now()
    world = await small_world(db, now)
    code = await directory.create_invite(db, role=Role.PERSON, now=now, display_name="Sam",
                                         service_id=world.service_id)
    await db.close()
    return SimulatedPerson(emulator, 31000, "Sam"), code


def _new_question(sam: SimulatedPerson, after: int) -> Callable[[], bool]:
    """A message with buttons, newer than message `after`, is on the screen."""
    return lambda: sam.last.message_id > after and bool(sam.last.buttons())


async def _question_after(sam: SimulatedPerson, after: int,
                          seen: list[str | None]) -> BotMessage:
    """The next question on the screen: newer than message `after`, with buttons, and
    not one already seen (a bot killed before it heard Telegram's answer for a question
    sends it once more when it is back, maybe after the next one)."""
    def found() -> BotMessage | None:
        return next((m for m in reversed(sam.inbox)
                     if m.message_id > after and m.buttons() and m.text not in seen), None)
    await until(lambda: found() is not None, 30)
    question = found()
    assert question is not None
    return question


# Taps before the kill; the one made while the bot is down; then one more after it is back.
TAPS = ("Good", "Mostly", "Sometimes")


@pytest.mark.parametrize("answered", [0, 1], ids=lambda n: f"{n} answered")
async def test_kill_9_in_the_middle_of_a_check_in(tmp_path: Path, emulator: BotApiEmulator,
                                                  answered: int) -> None:
    database = tmp_path / "carebot.sqlite3"
    sam, code = await _person_with_an_invite(database, emulator)
    bot = _start_bot(database, emulator)
    try:
        sam.send_command("start", code)
        await _wait_for(sam, 1)
        sam.press_label("Yes")
        await _wait_for(sam, 2)
        sam.send_command("checkin")
        await _wait_for(sam, 3)
        for label in ("Start", *TAPS[:answered]):
            shown = sam.last.message_id
            sam.press_label(label)
            await until(_new_question(sam, shown), 30)
        os.kill(bot.pid, signal.SIGKILL)  # a question is on the screen
        bot.wait()
        waiting = sam.last
        seen = [waiting.text]
        sam.press_label(TAPS[answered], waiting)  # tapped while the bot is down
        bot = _start_bot(database, emulator)
        following = await _question_after(sam, waiting.message_id, seen)
        seen.append(following.text)
        sam.press_label(TAPS[answered + 1], following)
        await _question_after(sam, following.message_id, seen)
    finally:
        bot.terminate()
        bot.wait()
    db = await open_database(database)
    rows = await db.fetchall("SELECT choice FROM answers ORDER BY id")
    await db.close()
    expected = [t.lower() for t in TAPS[: answered + 2]]
    assert [r["choice"] for r in rows] == expected  # every tap kept, once
