"""`carebot demo` runs the whole loop offline over three weeks and leaves real digests,
a provider's pack and a transcript of every chat on disk. The weeks are run once for all
the tests here."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from pypdf import PdfReader

from demo.run import run_demo

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


@dataclass(frozen=True)
class DemoWeek:
    html_path: Path
    out: str
    transcript: str


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def week(tmp_path_factory: pytest.TempPathFactory) -> DemoWeek:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        html_path = await run_demo(folder)
    return DemoWeek(html_path, printed.getvalue(),
                    (folder / "transcript.md").read_text(encoding="utf-8"))


def _chat(week: DemoWeek, title: str) -> str:
    return week.transcript.split(f"## {title}\n")[1].split("\n## ")[0]


async def test_demo_week_ends_in_a_digest(week: DemoWeek) -> None:
    assert week.out.strip().splitlines()[-1] == f"Digest written to {week.html_path}"
    assert "Telegram flood-limit breaches: 0. Calls Telegram would refuse: 0." in week.out
    page = week.html_path.read_text(encoding="utf-8")
    for service in ("Home Care North", "Home Care South", "Meadow View Day Centre"):
        assert service in page
    raw = week.html_path.with_suffix(".csv").read_text(encoding="utf-8")
    assert raw.startswith("\ufeffcouncil,provider,service,week_start,measure,value\n")
    rows = [r for r in csv.DictReader(io.StringIO(raw.removeprefix("\ufeff")))
            if r["week_start"] == "2026-11-16"]
    sent = sum(int(r["value"]) for r in rows if r["measure"] == "checkins_sent")
    assert sent == 30
    # Home Care South's people were mostly unhappy: its digest must say so.
    south = {r["measure"]: int(r["value"]) for r in rows
             if r["service"] == "Home Care South" and r["measure"].startswith("sentiment:")}
    north = {r["measure"]: int(r["value"]) for r in rows
             if r["service"] == "Home Care North" and r["measure"].startswith("sentiment:")}
    assert south["sentiment:negative"] > north["sentiment:negative"]


async def test_three_weeks_show_a_trend_and_an_action_before_and_after(week: DemoWeek) -> None:
    """A digest each Monday; the last shows each week's share of good ratings, and Home
    Care South's rising after its action, which is listed with its before and after."""
    made = sorted(p.name for p in week.html_path.parent.glob("digest-1-*.html"))
    assert made == [f"digest-1-2026-11-{day}-7d.html" for day in ("02", "09", "16")]
    raw = week.html_path.with_suffix(".csv").read_text(encoding="utf-8")
    shares = {(r["service"], r["week_start"]): int(r["value"])
              for r in csv.DictReader(io.StringIO(raw.removeprefix("\ufeff")))
              if r["measure"] == "percent:fft"}
    south = [shares[("Home Care South", f"2026-11-{day}")] for day in ("02", "09", "16")]
    assert south[2] > max(south[:2]), south
    assert ("Home Care North", "2026-11-02") in shares
    page = week.html_path.read_text(encoding="utf-8")
    effect = re.search(r"Comments on this: (\d+)% in the 4 weeks before, (\d+)% since", page)
    assert effect is not None and int(effect[2]) < int(effect[1])


async def test_demo_week_closes_the_loop(week: DemoWeek) -> None:
    """The carer hears each step of their problem and says Yes; an alert the duty
    contact missed climbs to the backup, who acts; the commissioner's action reaches the
    people of that service and is in the digest."""
    carer = _chat(week, "Carer 1, carer")
    for step in ("has read your problem", "is being looked at by", "is sorted. What",
                 "Was this OK?", "(taps) [Yes]"):
        assert step in carer, step
    backup = _chat(week, "Ben, backup duty contact")
    assert "Nobody has acted on this yet" in backup and "Saved on alert" in backup
    assert "Ben has acted on alert" in _chat(week, "Duty team, duty contact")
    received = re.findall(r"carebot\*\*\n\n> You said, we did: Home Care South", week.transcript)
    assert len(received) == 13  # its 10 people and 3 carers
    page = week.html_path.read_text(encoding="utf-8")
    assert "You said, we did" in page and "15 minutes late" in page
    pack = PdfReader(week.html_path.parent / "pack-2-2026-11-02.pdf")
    assert [item.title for item in pack.outline] == [  # type: ignore[union-attr]
        "Home Care North", "Home Care South", "Actions agreed: you said, we did", "Open issues"]
