"""A local Telegram Bot API on 127.0.0.1 with simulated people, and a harness that runs the
real bot against it: for the demo and the tests. Nothing in production imports it (the
architecture test checks)."""

from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotApiEmulator, BotMessage

__all__ = ["BotApiEmulator", "BotMessage", "SimulatedPerson"]
