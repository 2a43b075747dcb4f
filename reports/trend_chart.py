"""A measure's weekly trend as a chart, defined once and drawn twice: as SVG in the
digest and as lines in the pack (both from `shapes`). Each week's point carries the
answers behind it; a hidden week is a gap. The y axis is always 0 to 100 %, so a small
change never looks like a large one.

With 12 or more weeks shown it is a run chart, as the NHS's "Making Data Count" and the
Institute for Healthcare Improvement read one: the median drawn across, and two signals
that something changed rather than wobbled, said in words: a shift (6 or more weeks in a
row above the median, or below it; a week on it neither counts nor breaks the run) and a
trend (5 or more weeks in a row each higher than the last, or each lower; a week the same
as the last neither counts nor breaks it)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from carebot.reports.measures import Measure, ServiceMeasures

RUN_CHART_FROM = 12  # weeks shown
SHIFT = 6
TREND = 5
# The chart's own units: the SVG's viewBox, and millimetres scaled in the PDF.
WIDTH, HEIGHT = 320.0, 120.0
LEFT, RIGHT, TOP, BOTTOM = 60.0, 10.0, 10.0, 36.0
LABEL_EVERY_WEEK_UP_TO = 13  # weeks: more, and each week's answers are said, not drawn


@dataclass(frozen=True)
class Week:
    start: date
    percent: int | None   # None: hidden, or nobody answered
    answers: int | None   # None: hidden with the share; 0: nobody answered


@dataclass(frozen=True)
class TrendChart:
    title: str
    weeks: tuple[Week, ...]
    median: float | None          # drawn where RUN_CHART_FROM weeks or more are shown
    signals: tuple[str, ...]      # run chart signals found, in words

    @property
    def shown(self) -> list[tuple[int, int]]:
        """(week's place, percent) of every week shown."""
        return [(n, w.percent) for n, w in enumerate(self.weeks) if w.percent is not None]

    @property
    def weeks_words(self) -> str:
        """'week of 2 Nov: 71% of 7; week of 9 Nov: no answers', oldest first."""
        return "; ".join(
            f"week of {w.start.day} {w.start:%b}: "
            + ("no answers" if w.answers == 0 else "not shown (too few answered)"
               if w.percent is None else f"{w.percent}% of {w.answers}")
            for w in self.weeks)

    @property
    def description(self) -> str:
        """The chart in words: its alternative text, and the line the pack prints."""
        median = "" if self.median is None else f" Median {self.median:g}%."
        signals = "".join(f" {s}." for s in self.signals)
        return f"{self.title}, week by week: {self.weeks_words}.{median}{signals}"


def _longest_run(signs: list[int]) -> int:
    """The most of one sign (1 or -1) in a row, a 0 neither counting nor breaking it."""
    longest = run = side = 0
    for sign in signs:
        if sign == 0:
            continue
        run, side = (run + 1, side) if sign == side else (1, sign)
        longest = max(longest, run)
    return longest


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _shift(values: list[int], median: float) -> bool:
    return _longest_run([_sign(v - median) for v in values]) >= SHIFT


def _trend(values: list[int]) -> bool:
    """Points in a row each higher (or lower): one more than the rises (or falls)."""
    return _longest_run([_sign(b - a) for a, b in pairwise(values)]) + 1 >= TREND


def trend_chart(m: Measure, title: str, last_week: date) -> TrendChart:
    """The measure's weeks, the last starting on `last_week`."""
    count = len(m.trend)
    every = [Week(last_week - timedelta(weeks=count - 1 - n), percent,
                  m.trend_counted[n] if n < len(m.trend_counted) else None)
             for n, percent in enumerate(m.trend)]
    while len(every) > 1 and every[0].answers == 0:  # before anyone answered: not drawn
        every.pop(0)
    weeks = tuple(every)
    values = [p for p in m.trend if p is not None]
    if len(values) < RUN_CHART_FROM:
        return TrendChart(title, weeks, None, ())
    median = statistics.median(values)
    signals = []
    if _shift(values, median):
        signals.append(f"A shift: {SHIFT} weeks or more in a row on one side of the median")
    if _trend(values):
        signals.append(f"A trend: {TREND} weeks or more in a row each higher, or each lower")
    return TrendChart(title, weeks, median, tuple(signals))


def last_week_of(end: datetime, timezone: str) -> date:
    """The first day of a report's last week, as the council's calendar has it."""
    return (end.astimezone(ZoneInfo(timezone)) - timedelta(weeks=1)).date()


def measure_charts(measures: ServiceMeasures, end: datetime, timezone: str,
                   title: Callable[[Measure], str]) -> list[TrendChart]:
    """A chart for each measure with two weeks or more shown (one point is no line)."""
    return [trend_chart(m, title(m), last_week_of(end, timezone))
            for m in (measures.fft, *measures.outcomes)
            if sum(p is not None for p in m.trend) >= 2]


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str       # axis, grid, median, data


@dataclass(frozen=True)
class Dot:
    x: float
    y: float


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    words: str
    anchor: str     # start, middle, end
    size: float


Shape = Line | Dot | Label


def _x(chart: TrendChart, n: int) -> float:
    step = (WIDTH - LEFT - RIGHT) / max(len(chart.weeks) - 1, 1)
    return LEFT + n * step


def _y(percent: float) -> float:
    return TOP + (100 - percent) * (HEIGHT - TOP - BOTTOM) / 100


@cache
def _axis() -> tuple[Shape, ...]:
    """The lines and labels at 0, 50 and 100 %: the same on every chart."""
    drawn: list[Shape] = []
    for percent in (0, 50, 100):
        y = _y(percent)
        drawn.append(Line(LEFT, y, WIDTH - RIGHT, y, "axis" if percent == 0 else "grid"))
        drawn.append(Label(LEFT - 5, y + 4, f"{percent}%", "end", 11))
    return tuple(drawn)


def shapes(chart: TrendChart) -> list[Shape]:
    """What to draw, in the chart's units (WIDTH by HEIGHT, y down)."""
    drawn: list[Shape] = list(_axis())
    if chart.median is not None:
        y = _y(chart.median)
        drawn.append(Line(LEFT, y, WIDTH - RIGHT, y, "median"))
        drawn.append(Label(WIDTH - RIGHT, y - 4, f"median {chart.median:g}%", "end", 10))
    shown = chart.shown
    for (n, p), (m, q) in pairwise(shown):
        if m == n + 1:  # a hidden week between is a gap
            drawn.append(Line(_x(chart, n), _y(p), _x(chart, m), _y(q), "data"))
    drawn += [Dot(_x(chart, n), _y(p)) for n, p in shown]
    base = HEIGHT - BOTTOM
    every = len(chart.weeks) <= LABEL_EVERY_WEEK_UP_TO
    for n, week in enumerate(chart.weeks):
        if every and week.answers is not None:
            drawn.append(Label(_x(chart, n), base + 14, str(week.answers), "middle", 10))
    if every:
        drawn.append(Label(LEFT - 10, base + 14, "answers", "end", 10))
    for n in sorted({0, len(chart.weeks) - 1}):
        week = chart.weeks[n]
        drawn.append(Label(_x(chart, n), base + 30, f"week of {week.start.day} {week.start:%b}",
                           "start" if n == 0 else "end", 11))
    return drawn
