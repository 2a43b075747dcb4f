"""A local Telegram Bot API emulator with simulated people, for the demo and the tests."""

from bot.emulator.people import SimulatedPerson
from bot.emulator.server import BotApiEmulator, BotMessage

__all__ = ["BotApiEmulator", "BotMessage", "SimulatedPerson"]
