"""Faults the emulator can inject on chosen Bot API methods, as a real network and a busy
Telegram would: 429 (wait), 500, a connection dropped before or after the call took effect,
or a slow answer. Each rule fires on every `every`-th call of its method.

    sendMessage:500:3        every 3rd sendMessage answers 500 and sends nothing
    sendMessage:drop_after:4 every 4th is delivered, then the connection drops
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

KINDS = ("429", "500", "drop_before", "drop_after", "slow")
SLOW_SECONDS = 2.0


class ConnectionDroppedError(Exception):
    """The call's connection is to be cut, with no answer."""


@dataclass(frozen=True)
class Fault:
    method: str
    kind: str
    every: int

    @classmethod
    def parse(cls, rule: str) -> Fault:
        """`method:kind:every`, e.g. `sendMessage:500:3`."""
        method, kind, every = rule.split(":")
        if kind not in KINDS or int(every) < 1:
            raise ValueError(f"a fault is method:kind:every with kind one of {KINDS}: {rule}")
        return cls(method, kind, int(every))


@dataclass
class Faults:
    rules: list[Fault] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    injected: Counter[str] = field(default_factory=Counter)  # "sendMessage:500": how many

    def due(self, method: str) -> Fault | None:
        """Count a call of `method`; the fault to inject on it, if any."""
        self.calls[method] += 1
        for rule in self.rules:
            if rule.method == method and self.calls[method] % rule.every == 0:
                self.injected[f"{method}:{rule.kind}"] += 1
                return rule
        return None


async def before_call(fault: Fault | None) -> tuple[int, str, int | None] | None:
    """Act out a fault due before the call takes effect; an error to answer with, if any
    (code, description, retry_after)."""
    if fault is None:
        return None
    if fault.kind == "429":
        return 429, "Too Many Requests: retry after 1", 1
    if fault.kind == "500":
        return 500, "Internal Server Error", None
    if fault.kind == "drop_before":
        raise ConnectionDroppedError
    if fault.kind == "slow":
        await asyncio.sleep(SLOW_SECONDS)
    return None
