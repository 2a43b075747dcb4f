"""Small charts as inline SVG, so a digest is one file that reads on a phone, prints,
and needs nothing from the internet. Each chart says in words what it shows."""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cache

from markupsafe import Markup

from carebot.reports.trend_chart import HEIGHT, WIDTH, Dot, Label, Line, TrendChart, shapes

SPARK_WIDTH, SPARK_HEIGHT, PAD = 120, 28, 3


@cache
def _xs(points: int) -> tuple[str, ...]:
    """Where each of `points` weeks sits across a sparkline (the same for every line of
    a digest: worked out once, not for each of its 80,000 points)."""
    step = (SPARK_WIDTH - 2 * PAD) / max(points - 1, 1)
    return tuple(f"{PAD + n * step:.1f}" for n in range(points))


@cache
def _y(value: int) -> str:
    return f"{PAD + (100 - value) * (SPARK_HEIGHT - 2 * PAD) / 100:.1f}"


def sparkline(values: Sequence[int | None], label: str) -> Markup:
    """A line through a share (0–100) week by week; a gap where a week is not shown."""
    shown = [(n, v) for n, v in enumerate(values) if v is not None]
    said = ", ".join("–" if v is None else f"{v}%" for v in values)
    title = html.escape(f"{label}: {said}", quote=True)
    if not shown:
        return Markup(f'<span class="note" title="{title}">not enough answers</span>')
    xs = _xs(len(values))
    runs: list[list[str]] = [[]]
    for n, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{xs[n]},{_y(value)}")
    lines = "".join(f'<polyline points="{" ".join(run)}" fill="none" stroke="#1d70b8" '
                    f'stroke-width="2"/>' for run in runs if len(run) > 1)
    last_n, last_v = shown[-1]
    dot = (xs[last_n], _y(last_v))
    return Markup(f'<svg class="spark" role="img" aria-label="{title}" width="{SPARK_WIDTH}" '
                  f'height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">'
                  f'<title>{title}</title><line x1="0" y1="{SPARK_HEIGHT - PAD}" '
                  f'x2="{SPARK_WIDTH}" y2="{SPARK_HEIGHT - PAD}" '
                  f'stroke="#ddd"/>{lines}<circle cx="{dot[0]}" cy="{dot[1]}" r="2.5" '
                  f'fill="#1d70b8"/></svg>')


STROKES = {"axis": 'stroke="#505a5f"', "grid": 'stroke="#dddddd"',
           "median": 'stroke="#d4351c" stroke-dasharray="4 3"',
           "data": 'stroke="#1d70b8" stroke-width="2"'}


@cache  # a year's digest draws 1,700 charts, most of their axes and labels the same
def _svg_shape(shape: Line | Dot | Label) -> str:
    if isinstance(shape, Line):
        return (f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" '
                f'y2="{shape.y2:.1f}" {STROKES[shape.kind]}/>')
    if isinstance(shape, Dot):
        return f'<circle cx="{shape.x:.1f}" cy="{shape.y:.1f}" r="3" fill="#1d70b8"/>'
    return (f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size:g}" '
            f'text-anchor="{shape.anchor}" fill="#1b1b1b">{html.escape(shape.words)}</text>')


def trend_svg(chart: TrendChart) -> Markup:
    """The chart (reports/trend_chart.py) as SVG: one image, its words as its label."""
    said = html.escape(chart.description, quote=True)
    drawn = "".join(_svg_shape(shape) for shape in shapes(chart))
    return Markup(f'<svg class="trend" role="img" aria-label="{said}" '
                  f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}" width="100%" '
                  f'style="max-width:{1.6 * WIDTH:g}px"><title>{said}</title>{drawn}</svg>')
