"""Small charts as inline SVG, so a digest is one file that reads on a phone, prints,
and needs nothing from the internet. Each chart says in words what it shows."""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cache

from markupsafe import Markup

WIDTH, HEIGHT, PAD = 120, 28, 3


@cache
def _xs(points: int) -> tuple[str, ...]:
    """Where each of `points` weeks sits across a sparkline (the same for every line of
    a digest: worked out once, not for each of its 80,000 points)."""
    step = (WIDTH - 2 * PAD) / max(points - 1, 1)
    return tuple(f"{PAD + n * step:.1f}" for n in range(points))


@cache
def _y(value: int) -> str:
    return f"{PAD + (100 - value) * (HEIGHT - 2 * PAD) / 100:.1f}"


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
    return Markup(f'<svg class="spark" role="img" aria-label="{title}" width="{WIDTH}" '
                  f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><title>{title}</title>'
                  f'<line x1="0" y1="{HEIGHT - PAD}" x2="{WIDTH}" y2="{HEIGHT - PAD}" '
                  f'stroke="#ddd"/>{lines}<circle cx="{dot[0]}" cy="{dot[1]}" r="2.5" '
                  f'fill="#1d70b8"/></svg>')
