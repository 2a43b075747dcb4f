"""kill -9 in the middle of a send-out, then a restart: no message is lost, at most
REPEATS_A_KILL go out twice (the sender keeps in flight only what Telegram's rate needs),
and none that went is marked failed. The bot is a real `carebot run` process talking over
HTTP to the emulator, which enforces Telegram's flood limits and can inject network
faults."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from carebot.conversations import checkin as flow
from carebot.emulator.faults import Fault
from carebot.emulator.harness import LOCAL_TOKEN
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotApiEmulator, BotMessage
from carebot.settings.clock import SystemClock
from carebot.storage import checkins, directory, outbox
from carebot.storage.db import open_database
from carebot.storage.models import PersonStatus, Purpose, Role
from tests.engines import folder_beside, fresh_database, rows_in
from tests.helpers import REPO, free_port, joined, small_world, until

pytestmark = pytest.mark.slow

MESSAGES = 500  # a send-out to 500 people: about 17 s at Telegram's 30 a second
FIRST_CHAT = 30000
# What the issue asks (26, item 9): a kill repeats at most this many messages, where a
# fixed 30 in flight repeated up to 30.
REPEATS_A_KILL = 10
HEALTH_PORT = free_port()


@pytest.fixture
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[BotApiEmulator]:
    faults: Sequence[Fault] = getattr(request, "param", ())
    emu = BotApiEmulator(LOCAL_TOKEN, enforce_flood_limits=True, faults=faults)
    await emu.start()
    yield emu
    await emu.stop()


async def _queue_messages(database: Path | str, emulator: BotApiEmulator) -> None:
    db = await open_database(database)
    now = SystemClock().now()
    for n in range(MESSAGES):
        chat = emulator.chat_for({"id": FIRST_CHAT + n, "is_bot": False, "first_name": "P"})
        await outbox.enqueue(db, outbox.NewMessage(chat.chat_id, Purpose.TALK_REQUEST,
                                                   text=f"message {n}"), now)
    await db.close()


async def _queue_hellos(database: Path | str, emulator: BotApiEmulator) -> None:
    """MESSAGES people enrolled, each with a scheduled check-in opened and its hello
    waiting in the outbox, as the periodic job leaves them at the start of a send-out."""
    db = await open_database(database)
    now = SystemClock().now()
    world = await small_world(db, now)
    for n in range(MESSAGES):
        user = FIRST_CHAT + n
        emulator.chat_for({"id": user, "is_bot": False, "first_name": "P"})
        person = await joined(db, world, now, telegram_user_id=user, role=Role.PERSON)
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now)
        schedule = await checkins.set_schedule(db, person_id=person.id, weekday=0,
                                               time_window="morning", next_due_at=now)
        await checkins.open_scheduled_checkin(
            db, schedule=schedule, service_id=world.service_id, chat_id=user,
            questions=flow.choose_plan(0), next_due_at=now + timedelta(days=7), now=now)
    await db.close()


def _settings(database: Path | str, emulator: BotApiEmulator) -> dict[str, str]:
    """Backups (and the sent journal) on a disk of their own, beside the database's."""
    folder = folder_beside(database)
    return {"PATH": os.environ.get("PATH", ""), "CAREBOT_TOKEN": LOCAL_TOKEN,
            "CAREBOT_BASE_URL": emulator.base_url, "CAREBOT_DATABASE": str(database),
            "CAREBOT_TICK_SECONDS": "0.5", "CAREBOT_OUTPUT_DIR": str(folder),
            "CAREBOT_HEALTH_PORT": str(HEALTH_PORT),
            "CAREBOT_BACKUP_DIR": str(folder.parent / "backup-disk")}


def _start_bot(database: Path | str, emulator: BotApiEmulator) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "carebot.cli.main", "run"], cwd=REPO,
                            env=_settings(database, emulator),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _carebot(database: Path | str, emulator: BotApiEmulator, *args: str) -> tuple[int, str]:
    """A `carebot` command beside the running bot, as an operator would type it: its exit
    code and what it printed."""
    asked = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "carebot.cli.main", *args, cwd=REPO,
        env=_settings(database, emulator), stdout=subprocess.PIPE)
    said, _ = await asked.communicate()
    return await asked.wait(), said.decode().strip()


async def _healthcheck(database: Path | str, emulator: BotApiEmulator) -> tuple[int, str]:
    """`carebot healthcheck`, the command a container's HEALTHCHECK runs."""
    return await _carebot(database, emulator, "healthcheck")


def _delivered(emulator: BotApiEmulator) -> list[int]:
    """How many messages each of the queued chats has received."""
    return [len(emulator.chats[FIRST_CHAT + n].messages) for n in range(MESSAGES)]


def _given_up() -> float:
    """What the running bot's /metrics counts as given up, over every purpose."""
    with urllib.request.urlopen(f"http://127.0.0.1:{HEALTH_PORT}/metrics", timeout=10) as r:
        lines = r.read().decode().splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines
               if line.startswith("carebot_messages_failed_total{")
               and 'reason="gave_up"' in line)


def _hellos_recorded(database: Path | str, emulator: BotApiEmulator) -> list[str]:
    """Each hello Telegram took against what the database says of it: one line for each
    chat whose hello went but whose outbox row is not 'sent', or whose check-in does not
    show one of the hellos that chat received."""
    rows = rows_in(database,
                   "SELECT o.chat_id, o.status, o.error, c.status, c.message_id FROM outbox o "
                   "JOIN checkins c ON c.id = o.checkin_id WHERE o.purpose = ?",
                   (Purpose.CHECKIN_START,))
    wrong = []
    for chat, status, error, checkin_status, message_id in rows:
        went = [m.message_id for m in emulator.chats[chat].messages]
        if went and (status != "sent" or checkin_status != "sent" or message_id not in went):
            wrong.append(f"chat {chat}: outbox {status} ({error}), check-in "
                         f"{checkin_status} showing {message_id}, received {went}")
    return wrong


def _delivered_at_least(emulator: BotApiEmulator, count: int) -> Callable[[], bool]:
    return lambda: sum(_delivered(emulator)) >= count


def _repeated(emulator: BotApiEmulator) -> int:
    """Messages received so far beyond the first by each chat."""
    delivered = _delivered(emulator)
    return sum(delivered) - (len(delivered) - delivered.count(0))


@pytest.mark.parametrize("kills", [(1,), (480,), (100, 250, 400)],
                         ids=lambda kills: "killed after " + ", ".join(map(str, kills)))
async def test_kill_9_during_a_send_out_of_hellos_loses_nothing_and_marks_none_failed(
        tmp_path: Path, emulator: BotApiEmulator, kills: tuple[int, ...]) -> None:
    """The check-ins' hellos, each recorded with its check-in, killed once or three
    times: each kill repeats at most REPEATS_A_KILL (the repeats show after the restart,
    before the next kill), and no hello that went is marked failed or counted as given
    up."""
    database = fresh_database(tmp_path)
    await _queue_hellos(database, emulator)
    bot = _start_bot(database, emulator)
    repeated = []  # so far, at each kill and at the end
    try:
        for kill_after in kills:
            await until(_delivered_at_least(emulator, kill_after), 120)
            os.kill(bot.pid, signal.SIGKILL)
            bot.wait()
            repeated.append(_repeated(emulator))
            bot = _start_bot(database, emulator)
        await until(lambda: min(_delivered(emulator)) >= 1, 120)
        await asyncio.sleep(1.5)  # time for any late repeat to show
        assert await _healthcheck(database, emulator) == (0, "ok")  # restarted and healthy
        given_up = await asyncio.to_thread(_given_up)
    finally:
        bot.terminate()
        bot.wait()
    repeated.append(_repeated(emulator))
    each_kill = [after - before for before, after in itertools.pairwise(repeated)]
    wrong = _hellos_recorded(database, emulator)
    print(f"repeated {each_kill} by the kills; recorded wrongly {len(wrong)}; "
          f"given up {given_up:.0f}")
    assert _delivered(emulator).count(0) == 0
    assert wrong == []
    assert given_up == 0
    assert repeated[0] == 0  # nothing before the first kill
    assert all(0 <= n <= REPEATS_A_KILL for n in each_kill)
    assert emulator.flood_breaches == 0


def _sent_in(database: Path | str) -> int:
    return int(rows_in(database, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'")[0][0])


@pytest.mark.parametrize("how", ["stopped", "killed"])
@pytest.mark.sqlite_only  # PostgreSQL's backups are its DBA's
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
    assert repeated == 0 if how == "stopped" else 0 <= repeated <= REPEATS_A_KILL
    assert emulator.flood_breaches == 0


FAULTS = [Fault("sendMessage", "500", 7), Fault("sendMessage", "drop_before", 9),
          Fault("sendMessage", "drop_after", 11), Fault("sendMessage", "429", 13),
          Fault("sendMessage", "slow", 17)]


@pytest.mark.parametrize("emulator", [FAULTS], indirect=True, ids=["faults"])
async def test_network_faults_lose_nothing_and_repeat_only_what_was_never_answered(
        tmp_path: Path, emulator: BotApiEmulator) -> None:
    database = fresh_database(tmp_path)
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


async def _person_with_an_invite(database: Path | str, emulator: BotApiEmulator) -> tuple[
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
    database = fresh_database(tmp_path)
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
