"""Timing shared by the benchmarks: each figure run a few times, printed as min / median /
max beside the baseline measured in the same run, and their ratio."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

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
