"""Dates as councils write them: day first, as in England, in every common shape."""

from __future__ import annotations

from datetime import date

import pytest

from carebot.cli.dates import day_first


@pytest.mark.parametrize(("written", "meant"), [
    ("2026-11-02", date(2026, 11, 2)),
    ("2/11/2026", date(2026, 11, 2)),
    ("02/11/2026", date(2026, 11, 2)),
    ("2.11.26", date(2026, 11, 2)),
    ("2-11-2026", date(2026, 11, 2)),
    ("13/1/2027", date(2027, 1, 13)),
    ("2 Nov 2026", date(2026, 11, 2)),
    ("2nd November 2026", date(2026, 11, 2)),
    ("1 Sept 2026", date(2026, 9, 1)),
    (" 30 june 2026 ", date(2026, 6, 30)),
])
def test_day_first(written: str, meant: date) -> None:
    assert day_first(written) == meant


@pytest.mark.parametrize(("written", "says"), [
    ("11/30/2026", "not a day on the calendar"),  # month first is not read
    ("31/2/2026", "not a day on the calendar"),
    ("2 Nob 2026", "write it as 2/11/2026"),
    ("next Tuesday", "write it as 2/11/2026"),
    ("2 ma 2026", "write it as 2/11/2026"),  # 'ma' could be March or May
])
def test_what_is_not_a_date_says_how_to_write_one(written: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        day_first(written)
