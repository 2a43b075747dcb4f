"""Two processes, one database: a real `carebot run` takes answers and raises alerts while
an admin runs every `carebot` command that reads or writes the same file, again and again,
as docs/deploy.md tells them to. Then kill -9: every alert, answer and invite is there,
SQLite finds nothing wrong, and the bot never wrote into a file that was no longer on disk
(issue 26: a bot that closed a descriptor of its own database lost its locks, and the
next command to close the database deleted the write-ahead log under it)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from carebot.emulator.harness import LOCAL_TOKEN
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotApiEmulator
from carebot.settings.clock import SystemClock
from carebot.storage import directory
from carebot.storage.db import open_database
from carebot.storage.models import PersonStatus, Role
from tests.helpers import REPO, free_port, joined, small_world, until

pytestmark = pytest.mark.slow

CARERS = 8  # each tells of harm: an issue and an alert
PEOPLE = 8  # each answers a check-in's first question
ROUNDS = 3  # times the admin runs every command


def _settings(database: Path, emulator: BotApiEmulator, health_port: int) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "CAREBOT_TOKEN": LOCAL_TOKEN,
            "CAREBOT_BASE_URL": emulator.base_url, "CAREBOT_DATABASE": str(database),
            "CAREBOT_TICK_SECONDS": "0.5", "CAREBOT_OUTPUT_DIR": str(database.parent / "out"),
            "CAREBOT_HEALTH_PORT": str(health_port),
            "CAREBOT_BACKUP_DIR": str(database.parent / "backups")}


async def _carebot(env: dict[str, str], *args: str) -> tuple[int, str]:
    done = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "carebot.cli.main", *args, cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    said, _ = await done.communicate()
    return await done.wait(), said.decode()


async def _world(database: Path) -> tuple[int, int, list[int], list[int]]:
    """A service with a duty contact, carers and people: (service id, duty contact's id,
    carers' and people's Telegram ids)."""
    db = await open_database(database)
    now = SystemClock().now()
    world = await small_world(db, now)
    duty = await joined(db, world, now, telegram_user_id=500, role=Role.DUTY_CONTACT,
                        name="Dee")
    await directory.set_duty_contact(db, world.service_id, duty.id)
    carers = list(range(600, 600 + CARERS))
    people = list(range(700, 700 + PEOPLE))
    for user, role in [*((c, Role.CARER) for c in carers), *((p, Role.PERSON) for p in people),
                       (500, Role.DUTY_CONTACT)]:
        found = await directory.person_by_telegram_id(db, user)
        person = found or await joined(db, world, now, telegram_user_id=user, role=role)
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now)
    await db.close()
    return world.service_id, duty.id, carers, people


async def _admin(env: dict[str, str], tmp: Path, service: int, duty: int) -> list[str]:
    """Every command an admin runs beside the bot, ROUNDS times: what failed, if anything."""
    feedback = tmp / "survey.csv"
    feedback.write_text("id,text\n1,The carer was kind\n2,They never come on time\n")
    failed = []
    for round_ in range(ROUNDS):
        for args in (
            ("invite", "--role", "carer", "--service", str(service), "--name", f"New {round_}"),
            ("services", "--service", str(service), "--person", str(duty), "set-duty-contact"),
            ("backup", str(tmp / f"copy-{round_}.sqlite3")),
            ("check",), ("people",), ("audit",), ("digest",),
            ("pack", "--provider", "2", "--from", "2026-01-01", "--to", "2027-12-31",
             "--output", str(tmp / f"pack-{round_}.pdf")),
            ("retention", "--dry-run"),
            ("tag", str(feedback), str(tmp / f"tagged-{round_}.csv")),
        ):
            code, said = await _carebot(env, *args)
            if code != 0 and not (args[0] == "check" and code == 1):  # 1: gaps it lists
                failed.append(f"{' '.join(args)}: {code} {said[-300:]}")
    return failed


def _start_bot(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "carebot.cli.main", "run"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _messages(person: SimulatedPerson, count: int) -> None:
    await until(lambda: len(person.inbox) >= count, 30)


def _files_gone(pid: int) -> list[str]:
    """The files a process has open that are no longer on disk."""
    gone = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.endswith(" (deleted)"):
            gone.append(target)
    return gone


@pytest.mark.sqlite_only  # its commands include backups, and it checks the file's locks
async def test_every_command_beside_a_running_bot_loses_nothing(
        tmp_path: Path, emulator_for_a_process: BotApiEmulator) -> None:
    emulator = emulator_for_a_process
    database = tmp_path / "carebot.sqlite3"
    service, duty_id, carer_ids, person_ids = await _world(database)
    env = _settings(database, emulator, free_port())
    bot = _start_bot(env)
    duty = SimulatedPerson(emulator, 500, "Dee")
    carers = [SimulatedPerson(emulator, user, "Jo") for user in carer_ids]
    people = [SimulatedPerson(emulator, user, "Pat") for user in person_ids]
    try:
        admin = asyncio.create_task(_admin(env, tmp_path, service, duty_id))
        for n, (carer, person) in enumerate(zip(carers, people, strict=True)):
            carer.send_text(f"Dad has a bruise on his arm. He says the carer hit him ({n}).")
            person.send_command("checkin")
            await _messages(person, 1)
            person.press_label("Start")
            await asyncio.sleep(0.3)  # spread across the admin's commands
        for person in people:
            await _messages(person, 2)
            person.press_label("Good")
        await until(lambda: len(duty.inbox) >= CARERS, 60)
        for person in people:
            await _messages(person, 3)
        assert await admin == []
        assert _files_gone(bot.pid) == []
        code, said = await _carebot(env, "healthcheck")
        assert (code, said.strip()) == (0, "ok")
        os.kill(bot.pid, signal.SIGKILL)
    finally:
        if bot.poll() is None:
            bot.kill()
        bot.wait()

    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == CARERS
        assert conn.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == CARERS
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == PEOPLE
        assert conn.execute("SELECT COUNT(*) FROM invites WHERE display_name LIKE 'New %'"
                            ).fetchone()[0] == ROUNDS
