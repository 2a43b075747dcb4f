"""A measure's trend chart: each week with the answers behind it, a gap for a hidden week,
the axis always 0 to 100 %, and from 12 weeks a run chart whose signals are said in words;
the SVG and the pack draw the same shapes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from carebot.reports.charts import trend_svg
from carebot.reports.measures import Measure
from carebot.reports.trend_chart import Dot, Label, Line, shapes, trend_chart

MONDAY = date(2026, 11, 16)


def _measure(trend: Sequence[int | None],
             counted: Sequence[int | None] | None = None) -> Measure:
    return Measure("safe", "Feel safe", trend[-1], None, tuple(trend),
                   trend_counted=tuple(counted or [None if p is None else 25 for p in trend]))


def test_each_week_is_drawn_with_its_answers_and_a_hidden_week_is_a_gap() -> None:
    chart = trend_chart(_measure([50, 75, None, 80], [4, 8, None, 10]), "Feel safe", MONDAY)
    drawn = shapes(chart)
    data = [s for s in drawn if isinstance(s, Line) and s.kind == "data"]
    assert len(data) == 1  # 50 to 75; nothing across the hidden week to 80
    assert len([s for s in drawn if isinstance(s, Dot)]) == 3
    words = [s.words for s in drawn if isinstance(s, Label)]
    assert {"0%", "50%", "100%", "4", "8", "10", "answers", "week of 26 Oct",
            "week of 16 Nov"} <= set(words)
    assert chart.median is None and chart.signals == ()  # 3 weeks: no run chart
    assert chart.description == (
        "Feel safe, week by week: week of 26 Oct: 50% of 4; week of 2 Nov: 75% of 8; "
        "week of 9 Nov: not shown (too few answered); week of 16 Nov: 80% of 10.")
    svg = trend_svg(chart)
    assert 'role="img"' in svg and "not shown (too few answered)" in svg


def test_weeks_before_anyone_answered_are_not_drawn_nor_said() -> None:
    chart = trend_chart(_measure([None, None, 75, 80], [0, 0, 8, 10]), "Feel safe", MONDAY)
    assert [w.start for w in chart.weeks] == [date(2026, 11, 9), MONDAY]
    gaps = trend_chart(_measure([50, None, None, 62], [6, None, 0, 8]), "", MONDAY)
    assert gaps.weeks_words == (
        "week of 26 Oct: 50% of 6; week of 2 Nov: not shown (too few answered); "
        "week of 9 Nov: no answers; week of 16 Nov: 62% of 8")


def test_a_run_chart_from_twelve_weeks_says_a_shift_and_a_trend() -> None:
    steady = [60, 62, 58, 61, 59, 60, 62, 58, 61, 59, 60, 61]
    chart = trend_chart(_measure(steady), "Feel safe", MONDAY)
    assert chart.median == 60 and chart.signals == ()
    assert any(isinstance(s, Line) and s.kind == "median" for s in shapes(chart))
    # Six weeks in a row above the median, and five each higher than the last.
    shifted = [50, 52, 49, 51, 50, 48, 60, 61, 63, 65, 68, 70]
    signals = trend_chart(_measure(shifted), "Feel safe", MONDAY).signals
    assert [s.split(":")[0] for s in signals] == ["A shift", "A trend"]
    # A week on the median neither counts nor breaks a run: five above is not a shift.
    five = [40, 40, 40, 40, 40, 50, 60, 60, 60, 60, 60, 50]
    assert trend_chart(_measure(five), "Feel safe", MONDAY).signals == ()


def test_a_long_trend_says_its_answers_in_words_rather_than_crowding_them() -> None:
    chart = trend_chart(_measure([70] * 52), "Feel safe", MONDAY)
    assert not any(isinstance(s, Label) and s.words == "25" for s in shapes(chart))
    assert chart.description.count("70% of 25") == 52
