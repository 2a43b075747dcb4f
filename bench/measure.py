"""Timing shared by the benchmarks: each figure run a few times, printed as min / median /
max beside the baseline measured in the same run, and their ratio."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

B = TypeVar("B")
M = TypeVar("M")

RUNS = 3


async def timed(work: Callable[[], Awaitable[object]],
                before: Callable[[], None] = lambda: None, runs: int = RUNS) -> list[float]:
    """Seconds taken by `work`, `runs` times (`before` runs first each time, untimed)."""
    times = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return times


def spread(figures: list[float], digits: int = 3) -> str:
    """min / median / max, in a fixed width."""
    width = digits + 4
    return " ".join(f"{f:{width}.{digits}f}"
                    for f in (min(figures), statistics.median(figures), max(figures)))


def ratio(figures: list[float], base: list[float]) -> float:
    return statistics.median(figures) / statistics.median(base)


def in_turn(baseline: Callable[[], Coroutine[Any, Any, B]],
            measured: Callable[[], Coroutine[Any, Any, M]]) -> tuple[list[B], list[M]]:
    """RUNS of each, one of each in turn, so that a slow spell of the machine falls on
    both; each run in a fresh event loop."""
    bases: list[B] = []
    figures: list[M] = []
    for _ in range(RUNS):
        bases.append(asyncio.run(baseline()))
        figures.append(asyncio.run(measured()))
    return bases, figures
