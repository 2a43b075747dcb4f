"""Working days for chasing a problem nobody has read: Monday to Friday on the council's
local clock, so a weekend never counts and the clocks going back changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from carebot.conversations.issue_news import (
    may_chase,
    waited_words,
    working_days_before,
    working_days_waited,
)

LONDON = "Europe/London"


def _utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(("now", "days", "since"), [
    (_utc(17, 10), 2, _utc(13, 10)),  # Tuesday 10:00: what began on Friday 10:00
    (_utc(16, 10), 1, _utc(13, 10)),  # Monday: one working day back is Friday
    (_utc(15, 10), 2, _utc(12, 0)),   # Sunday: the clock stood still from Friday night
    (_utc(18, 0), 2, _utc(16, 0)),    # Wednesday 00:00: all that came at the weekend
    (_utc(19, 10), 4, _utc(13, 10)),  # Thursday: four working days from Friday
    (_utc(26, 10), 10, _utc(12, 10)),  # two whole weeks
])
def test_working_days_before(now: datetime, days: int, since: datetime) -> None:
    assert working_days_before(now, days, LONDON) == since


def test_the_clocks_going_back_keeps_the_time_of_day() -> None:
    # British Summer Time ends on Sunday 25 October 2026: 10:00 on Friday 23rd is 09:00
    # UTC; 10:00 on Tuesday 27th is 10:00 UTC.
    assert working_days_before(_utc(27, 10, month=10), 2, LONDON) == _utc(23, 9, month=10)


@pytest.mark.parametrize(("since", "now", "waited"), [
    (_utc(13, 10), _utc(15, 10), 0),   # Friday to Sunday: no working day
    (_utc(13, 10), _utc(17, 9, 59), 1),
    (_utc(13, 10), _utc(17, 10), 2),
    (_utc(14, 15), _utc(18, 0), 2),    # Saturday to Wednesday 00:00: Monday and Tuesday
    (_utc(2, 10), _utc(25, 10), 17),
])
def test_working_days_waited(since: datetime, now: datetime, waited: int) -> None:
    assert working_days_waited(since, now, LONDON) == waited


@pytest.mark.parametrize(("now", "allowed"), [
    (_utc(17, 10), True),    # Tuesday morning
    (_utc(17, 7, 59), False),  # before 08:00: quiet hours
    (_utc(17, 21), False),   # from 21:00: quiet hours
    (_utc(14, 12), False),   # Saturday
    (_utc(15, 12), False),   # Sunday
])
def test_chasing_is_on_working_days_out_of_quiet_hours(now: datetime, allowed: bool) -> None:
    assert may_chase(now, LONDON) is allowed


def test_waited_words() -> None:
    assert (waited_words(1), waited_words(4)) == ("1 working day", "4 working days")
