"""Telegram's flood limits: at most `overall` new messages in any `seconds`, and at most
`per_chat` in one chat. One `SendWindow` serves both sides: the bot's rate limiter
(bot/rate_limit.py) waits for room in it, and the emulator measures arrivals with it to
spot breaches. `SendPace` says how many sends a send-out needs under way to keep up.
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass

# Telegram: about 30 messages a second overall, and about one a second in one chat.
OVERALL_PER_SECOND = 30
PER_CHAT_PER_SECOND = 1


_POLL = 0.005  # seconds to wait when every place in a window is taken by a send under way
_SENDING = re.compile(r"^(send|copy|forward)[A-Z]")


def counts_against_limits(method: str) -> bool:
    """Calls that put a new message in a chat: sendMessage, sendDocument, copyMessage…"""
    return bool(_SENDING.match(method))


@dataclass(frozen=True)
class FloodLimits:
    overall: int = OVERALL_PER_SECOND
    per_chat: int = PER_CHAT_PER_SECOND
    seconds: float = 1.0


class SendWindow:
    """At most `limit` sends under way or finished within the last `seconds`."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.under_way = 0
        self._finished: deque[float] = deque()  # times sends finished, in order

    def wait_needed(self, now: float) -> float:
        while self._finished and self._finished[0] <= now - self.seconds:
            self._finished.popleft()
        if self.under_way + len(self._finished) < self.limit:
            return 0.0
        if not self._finished:
            return _POLL
        return self._finished[0] + self.seconds - now

    def begin(self) -> None:
        self.under_way += 1

    def end(self, now: float) -> None:
        self.under_way -= 1
        self._finished.append(now)

    def record(self, now: float) -> None:
        """A send seen at one instant (how the emulator counts what arrives)."""
        self._finished.append(now)

    @property
    def idle(self) -> bool:
        return self.under_way == 0 and not self._finished


FEWEST_IN_FLIGHT = 2  # one being recorded while the next goes
MARGIN = 2.0          # for sends slower than the average, and to catch up after a pause
SMOOTHING = 0.1       # the weight of each new measurement in the moving average


class SendPace:
    """How many sends to keep under way so that they reach `rate` a second and no more.

    By Little's law, what is under way is the rate times how long each send keeps its
    place: its busy time (reading what to send, Telegram's round trip, recording it as
    sent; not waiting for room in the window), a moving average measured as sends go.
    The average starts at nothing, so that a slow first send (a cold start, a new
    connection) does not put many under way at once.
    More under way would only wait for room, and each one under way is a message a crash
    can send twice: at loopback latency a handful keep up with 30 a second, where a
    far-away Telegram needs more.
    """

    def __init__(self, rate: float) -> None:
        self.rate = rate         # sends a second, at most
        self.busy_seconds = 0.0  # the moving average

    def note(self, busy_seconds: float) -> None:
        """One send's busy time."""
        self.busy_seconds += SMOOTHING * (busy_seconds - self.busy_seconds)

    def in_flight(self, most: int) -> int:
        """Sends to keep under way: rate x busy time x MARGIN, at least FEWEST_IN_FLIGHT
        and at most `most` (the `max_in_flight` setting)."""
        needed = math.ceil(self.rate * self.busy_seconds * MARGIN)
        return min(most, max(FEWEST_IN_FLIGHT, needed))
