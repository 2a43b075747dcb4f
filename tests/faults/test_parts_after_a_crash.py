"""An album or a paste arrives in parts, each an update of its own, and is handled as one
message (bot/gathering.py); a crash part-way loses no part and doubles nothing. The parts
are kept as they arrive and marked handled all at once with the message made of them, so
after a restart they are gathered again, the same way, from what Telegram sent.

The first test stops the bot at the worst moment in-process (its handlers have finished,
nothing is marked handled yet); the second kills a real `carebot run` with SIGKILL while
carers' albums and pastes are being gathered and handled, twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from carebot.conversations.texts import text
from carebot.emulator.harness import LOCAL_TOKEN, LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotApiEmulator
from carebot.settings.clock import SystemClock
from carebot.storage import directory, updates_received
from carebot.storage.db import Database, open_database
from carebot.storage.models import PersonStatus, Role
from tests.engines import ON_POSTGRESQL, folder_beside, fresh_database, rows_in
from tests.helpers import REPO, World, enrol, joined, small_world, until

LIMIT = 4096
PASTE = ("The rota for next month has the wrong times on it and the office has not rung. "
         * 80)[:6000]


def _send_album(emulator: BotApiEmulator, person: SimulatedPerson, group: str,
                caption: str) -> list[str]:
    """Three photos as one album, the caption on the first; their file ids."""
    file_ids = [f"{group}-{n}" for n in range(3)]
    for n, file_id in enumerate(file_ids):
        content: dict[str, Any] = {
            "media_group_id": group,
            "photo": [{"file_id": file_id, "file_unique_id": f"u-{file_id}",
                       "width": 1280, "height": 960}]}
        if n == 0:
            content["caption"] = caption
        person.sent.append(emulator.user_message(person.user, **content))
    return file_ids


def _paste(person: SimulatedPerson) -> None:
    """PASTE as the apps send it: 4,096 characters, then 1,904."""
    for start in range(0, len(PASTE), LIMIT):
        person.send_text(PASTE[start:start + LIMIT])


async def test_parts_handled_but_not_marked_when_the_bot_stopped_are_handled_once_more(
        local: LocalBot, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """As if killed just after the handlers finished: every part is still waiting. Handled
    again at the start, the parts make the same message, which raises nothing new and
    says nothing twice."""
    sam = await enrol(local, world, 2801, "Sam")
    original = updates_received.mark_handled

    async def killed_first(db: Database, update_ids: int | list[int],
                           now: datetime) -> None:
        return None

    monkeypatch.setattr(updates_received, "mark_handled", killed_first)
    photos = _send_album(local.emulator, sam, "after-a-crash", "Photos of the new rota")
    _paste(sam)
    await local.settle()
    db = local.runtime.db
    waiting = await db.scalar("SELECT COUNT(*) FROM updates_received WHERE status = 'waiting'")
    assert waiting >= 5  # the album's three and the paste's two, at least
    said = sam.texts()
    monkeypatch.setattr(updates_received, "mark_handled", original)
    await local.restart()
    await local.settle()
    db = local.runtime.db
    issues = await db.fetchall("SELECT text, media_file_id FROM issues ORDER BY id")
    assert [(row["text"], row["media_file_id"]) for row in issues] == [
        ("Photos of the new rota", "\n".join(photos)), (PASTE, None)]
    assert sam.texts() == said  # nothing said twice
    assert said.count(text("feedback.kind")) == 2 and text("odd.media") not in said
    assert await db.scalar("SELECT COUNT(*) FROM updates_received "
                           "WHERE status != 'handled'") == 0


CARERS = 8


async def _world(database: Path | str) -> list[int]:
    db = await open_database(database)
    now = SystemClock().now()
    world = await small_world(db, now)
    carers = list(range(900, 900 + CARERS))
    for user in carers:
        carer = await joined(db, world, now, telegram_user_id=user, name=f"C{user}")
        await directory.set_person_status(db, carer.id, PersonStatus.ACTIVE, now)
    duty = await joined(db, world, now, telegram_user_id=899, role=Role.DUTY_CONTACT)
    await directory.set_person_status(db, duty.id, PersonStatus.ACTIVE, now)
    await directory.set_duty_contact(db, world.service_id, duty.id)
    await db.close()
    return carers


def _start(database: Path | str, emulator: BotApiEmulator) -> subprocess.Popen[bytes]:
    env = {"PATH": os.environ.get("PATH", ""), "CAREBOT_TOKEN": LOCAL_TOKEN,
           "CAREBOT_BASE_URL": emulator.base_url, "CAREBOT_DATABASE": str(database),
           "CAREBOT_OUTPUT_DIR": str(folder_beside(database)), "CAREBOT_HEALTH_PORT": "0",
           "CAREBOT_NIGHTLY_BACKUP": "false", "CAREBOT_TICK_SECONDS": "0.5"}
    return subprocess.Popen([sys.executable, "-m", "carebot.cli.main", "run"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _asked_kind(carer: SimulatedPerson) -> int:
    return carer.texts().count(text("feedback.kind"))


def _asked_at_least(carer: SimulatedPerson, count: int) -> Callable[[], bool]:
    return lambda: _asked_kind(carer) >= count


def _taken_since(emulator: BotApiEmulator, before: int) -> Callable[[], bool]:
    """Telegram has been told the bot took an update since it had taken `before`."""
    return lambda: emulator.confirmed_updates > before


# When each round's kill comes: once Telegram has been told the bot took the round's
# first part (parts still arriving, and being gathered), and once a few of the replies
# have gone (some messages handled, others under way, their parts not yet marked).
KILLS = ("taken", "answering")


def _answered(carers: list[SimulatedPerson]) -> int:
    return sum(_asked_kind(carer) for carer in carers)


def _answered_since(carers: list[SimulatedPerson], before: int) -> Callable[[], bool]:
    return lambda: _answered(carers) >= before + 3


@pytest.mark.slow
# Open on PostgreSQL (issue 33): in one CI run, with the machine loaded, one part of an
# album was missing after the kills; alone it passes. Kept running, so that it shows.
@pytest.mark.xfail(ON_POSTGRESQL, strict=False,
                   reason="an album part lost after a kill on PostgreSQL once, under load")
async def test_a_kill_while_albums_and_pastes_are_gathered_loses_and_doubles_nothing(
        tmp_path: Path, emulator_for_a_process: BotApiEmulator) -> None:
    emulator = emulator_for_a_process
    database = fresh_database(tmp_path)
    carers = [SimulatedPerson(emulator, user, "C") for user in await _world(database)]
    albums: dict[int, list[list[str]]] = {carer.id: [] for carer in carers}
    rounds = len(KILLS) + 1
    bot = _start(database, emulator)
    try:
        for round_ in range(rounds):
            taken, answered = emulator.confirmed_updates, _answered(carers)
            for n, carer in enumerate(carers):
                albums[carer.id].append(_send_album(
                    emulator, carer, f"r{round_}-c{carer.id}", f"Round {round_}: the kitchen"))
                if n % 2 == 0:  # half send a paste straight after their album
                    _paste(carer)
            if round_ == len(KILLS):
                break
            await until(_taken_since(emulator, taken) if KILLS[round_] == "taken"
                        else _answered_since(carers, answered), 60)
            os.kill(bot.pid, signal.SIGKILL)
            bot.wait()
            bot = _start(database, emulator)
        for n, carer in enumerate(carers):
            asked = rounds * (2 if n % 2 == 0 else 1)
            await until(_asked_at_least(carer, asked), 60)
        await asyncio.sleep(1.5)  # time for a late repeat to show
    finally:
        bot.terminate()
        bot.wait()

    people = dict(rows_in(database, "SELECT id, telegram_user_id FROM people"))
    issues = rows_in(database, "SELECT raised_by_id, text, media_file_id FROM issues "
                               "ORDER BY id")
    [(waiting,)] = rows_in(database, "SELECT COUNT(*) FROM updates_received "
                                     "WHERE status != 'handled'")
    [(again,)] = rows_in(database, "SELECT COUNT(*) FROM updates_received "
                                   "WHERE attempts > 0")
    assert again > 0  # the kills came while parts were being gathered or handled
    repeated = 0
    for n, carer in enumerate(carers):
        kept = [(said, files) for raised_by, said, files in issues
                if people[raised_by] == carer.id]
        album_issues = [(said, files.split("\n")) for said, files in kept if files]
        assert album_issues == [(f"Round {r}: the kitchen", albums[carer.id][r])
                                for r in range(rounds)]
        pastes = [said for said, files in kept if not files]
        assert pastes == ([PASTE] * rounds if n % 2 == 0 else [])
        assert text("odd.media") not in carer.texts()
        # A reply repeats only if Telegram took it in the instant before a kill, which
        # only the kill as replies go out can do: once at most.
        asked_again = _asked_kind(carer) - len(kept)
        told_long_again = carer.texts().count(text("odd.too_long")) - len(pastes)
        assert 0 <= asked_again <= 1 and 0 <= told_long_again <= 1
        repeated += asked_again
    assert waiting == 0
    print(f"{again} parts handled again after {len(KILLS)} kills; kind questions "
          f"repeated {repeated}")
