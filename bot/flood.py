"""Telegram's flood limits: at most `overall` new messages in any `seconds`, and at most
`per_chat` in one chat. The emulator measures arrivals with `SlidingWindow` to spot
breaches; the bot's rate limiter (bot/rate_limit.py) keeps under the same limits.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

# Telegram: about 30 messages a second overall, and about one a second in one chat.
OVERALL_PER_SECOND = 30
PER_CHAT_PER_SECOND = 1


_SENDING = re.compile(r"^(send|copy|forward)[A-Z]")


def counts_against_limits(method: str) -> bool:
    """Calls that put a new message in a chat: sendMessage, sendDocument, copyMessage…"""
    return bool(_SENDING.match(method))


@dataclass(frozen=True)
class FloodLimits:
    overall: int = OVERALL_PER_SECOND
    per_chat: int = PER_CHAT_PER_SECOND
    seconds: float = 1.0


class SlidingWindow:
    """Times of recent sends, to answer: may one more go at `now`, and if not, when?"""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._times: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self._times and self._times[0] <= now - self.seconds:
            self._times.popleft()

    def wait_needed(self, now: float) -> float:
        """Seconds until one more send fits; 0 if it fits now."""
        self._trim(now)
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.seconds - now

    def record(self, now: float) -> None:
        self._times.append(now)

    @property
    def empty(self) -> bool:
        return not self._times
