"""The bot's rate limiter keeps bursts inside Telegram's flood limits, as the emulator
measures them, and waits when Telegram says to."""

from __future__ import annotations

import asyncio

from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from carebot.bot.flood import FloodLimits
from carebot.bot.rate_limit import FloodRateLimiter
from carebot.emulator import BotApiEmulator, SimulatedPerson
from tests.conftest import EMULATOR_TOKEN

TOKEN = EMULATOR_TOKEN
WINDOW = EMULATOR_WINDOW = 0.2


def _bot(emu: BotApiEmulator, limiter: FloodRateLimiter | None) -> ExtBot[int]:
    return ExtBot(TOKEN, base_url=emu.base_url, rate_limiter=limiter,
                  request=HTTPXRequest(connection_pool_size=128))


async def test_fan_out_to_many_chats_stays_inside_the_limits(emulator: BotApiEmulator) -> None:
    people = [SimulatedPerson(emulator, 5000 + n, "P") for n in range(95)]
    async with _bot(emulator, FloodRateLimiter(FloodLimits(seconds=WINDOW))) as bot:
        await asyncio.gather(*(bot.send_message(p.id, "Hello") for p in people))
    assert all(p.texts() == ["Hello"] for p in people)
    assert emulator.flood_breaches == 0


async def test_a_burst_to_one_chat_is_spaced_out(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 6000, "Sam")
    limiter = FloodRateLimiter(FloodLimits(seconds=WINDOW))
    async with _bot(emulator, limiter) as bot:
        await asyncio.gather(*(bot.send_message(sam.id, f"m{n}") for n in range(4)))
    assert sorted(sam.texts()) == ["m0", "m1", "m2", "m3"]
    assert emulator.flood_breaches == 0 and limiter.waited_seconds > 0


async def test_without_the_limiter_the_emulator_says_wait(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 6001, "Sam")
    limiter = FloodRateLimiter(FloodLimits(seconds=0.0001))  # a limiter that does not hold
    async with _bot(emulator, limiter) as bot:
        await asyncio.gather(*(bot.send_message(sam.id, f"m{n}") for n in range(2)))
    assert sorted(sam.texts()) == ["m0", "m1"]  # the second went after Telegram's wait
    assert emulator.flood_breaches == 1 and limiter.retries == 1
