"""How many answers a second carebot takes with 30 people answering at once, against a
bare python-telegram-bot echo bot on the same emulator, in the same run.

    .venv/bin/python bench/inbound.py [--people 30000] [--services 150] [--weeks 52]

Each bot runs in its own process (`carebot run`, on a quiet copy of the council-year
database from `bench/council.py`; the echo bot, PTB's example); the emulator and the
people are in this one. Each of PEOPLE people asks for a check-in (`/checkin`), taps the
first button of each question as soon as it arrives (the hello's "Start", then an answer
or "Skip"), and starts another check-in after the thanks. With the echo bot, each types
a line and waits for it to come back. Counted over SECONDS after a warm-up: answers kept
a second (check-in taps that stored an answer), and, for the echo bot, replies a second.
Telegram's flood limits are set aside (see processes.py): people really answer every few
seconds, and what is measured is the bot's own work. Three runs, min / median / max.
Target: carebot >= 0.5x the echo bot.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from council import ready, size_from_arguments
from measure import RUNS, in_turn, ratio, spread
from processes import bot_process, called, carebot_run, echo_bot, emulator, quiet_copy

from carebot.conversations.checkin import START
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotApiEmulator
from carebot.storage.db import open_database

PEOPLE = 30
WARM_UP = 3.0
SECONDS = 10.0
TIMEOUT = 30.0


async def _checkins(person: SimulatedPerson, counting: asyncio.Event,
                    stop: asyncio.Event) -> int:
    """Answer check-ins until told to stop; returns answers given while counting."""
    answers = 0
    seen = len(person.inbox)
    person.send_command("checkin")
    while not stop.is_set():
        await person.wait_for_messages(seen + 1, TIMEOUT)
        seen = len(person.inbox)
        buttons = person.inbox[-1].buttons()
        if not buttons:  # the thanks: the next check-in
            person.send_command("checkin")
            continue
        data = str(buttons[0]["callback_data"])
        person.press(person.inbox[-1], data)
        answers += counting.is_set() and not data.endswith(f"|{START}")
    return answers


async def _echoes(person: SimulatedPerson, counting: asyncio.Event,
                  stop: asyncio.Event) -> int:
    replies = 0
    while not stop.is_set():
        seen = len(person.inbox)
        person.send_text("How are you today?")
        await person.wait_for_messages(seen + 1, TIMEOUT)
        replies += counting.is_set()
    return replies


async def _drive(api: BotApiEmulator, people: list[SimulatedPerson], checkins: bool) -> float:
    """Per second, over SECONDS after WARM_UP."""
    counting, stop = asyncio.Event(), asyncio.Event()
    act = _checkins if checkins else _echoes
    tasks = [asyncio.create_task(act(p, counting, stop)) for p in people]
    await asyncio.sleep(WARM_UP)
    counting.set()
    started = time.monotonic()
    await asyncio.sleep(SECONDS)
    counting.clear()
    elapsed = time.monotonic() - started
    stop.set()
    return sum(await asyncio.gather(*tasks)) / elapsed


async def echo_rate() -> float:
    async with emulator() as api, bot_process(api, echo_bot()):
        people = [SimulatedPerson(api, 5000 + n, f"P{n}") for n in range(PEOPLE)]
        return await _drive(api, people, checkins=False)


async def carebot_rate(council: Path) -> tuple[float, int]:
    """Answers a second, and how many answers were kept in all."""
    with tempfile.TemporaryDirectory() as folder:
        copy = await quiet_copy(council, Path(folder))
        db = await open_database(copy)
        users = [row[0] for row in await db.fetchall(
            "SELECT telegram_user_id FROM people WHERE role = 'person' AND status = 'active' "
            "ORDER BY id LIMIT ?", (PEOPLE,))]
        before = await db.scalar("SELECT COUNT(*) FROM answers")
        await db.close()
        command, env = carebot_run(copy, Path(folder))
        async with emulator() as api, bot_process(api, command, env):
            await called(api, "setMyCommands")
            await asyncio.sleep(2)  # its first pass of the periodic job
            people = [SimulatedPerson(api, user, f"P{n}") for n, user in enumerate(users)]
            rate = await _drive(api, people, checkins=True)
            await asyncio.sleep(1)
        db = await open_database(copy)
        kept = await db.scalar("SELECT COUNT(*) FROM answers") - before
        await db.close()
        return rate, kept


def main() -> None:
    size = size_from_arguments(__doc__.splitlines()[0])
    council = ready(size)
    echo, runs = in_turn(echo_rate, lambda: carebot_rate(council))
    care, kept = [rate for rate, _ in runs], [answers for _, answers in runs]
    print(f"inbound, {PEOPLE} people at once, {size.people:,} enrolled; per second over "
          f"{SECONDS:.0f} s, {RUNS} runs, min / median / max")
    print(f"  echo bot (PTB example)  {spread(echo, 1)} replies")
    print(f"  carebot                 {spread(care, 1)} answers   ratio "
          f"{ratio(care, echo):.2f}x (target >= 0.5x); answers kept {kept}")


if __name__ == "__main__":
    main()
