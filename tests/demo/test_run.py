"""`carebot demo` runs the whole loop offline and leaves a real digest on disk."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from demo.run import run_demo

pytestmark = pytest.mark.slow


async def test_demo_week_ends_in_a_digest(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    html_path = await run_demo(tmp_path / "demo")
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == f"Digest written to {html_path}"
    assert "Telegram flood-limit breaches: 0. Calls Telegram would refuse: 0." in out
    page = html_path.read_text(encoding="utf-8")
    for service in ("Home Care North", "Home Care South", "Meadow View Day Centre"):
        assert service in page
    rows = list(csv.DictReader(html_path.with_suffix(".csv").open(encoding="utf-8")))
    sent = sum(int(r["value"]) for r in rows if r["measure"] == "checkins_sent")
    assert sent == 30
    # Home Care South's people were mostly unhappy: its digest must say so.
    south = {r["measure"]: int(r["value"]) for r in rows
             if r["service"] == "Home Care South" and r["measure"].startswith("sentiment:")}
    north = {r["measure"]: int(r["value"]) for r in rows
             if r["service"] == "Home Care North" and r["measure"].startswith("sentiment:")}
    assert south["sentiment:negative"] > north["sentiment:negative"]
