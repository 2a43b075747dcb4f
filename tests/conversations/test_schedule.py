"""When check-ins fall due, in London time, across the clock changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from carebot.conversations.schedule import first_due, following_due

LONDON = ZoneInfo("Europe/London")


def test_first_due_is_the_next_chosen_weekday_and_window() -> None:
    wednesday_noon = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
    due = first_due(wednesday_noon, weekday=2, window="afternoon")
    assert due.astimezone(LONDON) == datetime(2026, 11, 18, 14, 0, tzinfo=LONDON)
    due = first_due(wednesday_noon, weekday=2, window="morning")
    assert due.astimezone(LONDON) == datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)


def test_weekly_check_ins_keep_local_time_through_both_clock_changes() -> None:
    due = first_due(datetime(2026, 3, 1, tzinfo=UTC), weekday=1, window="morning")
    seen = []
    for _ in range(52):
        local = due.astimezone(LONDON)
        assert (local.weekday(), local.hour, local.minute) == (1, 10, 0)
        seen.append(due.hour)
        due = following_due(due, frequency="weekly", window="morning")
    # 10:00 GMT in winter, 09:00 UTC while British Summer Time is on.
    assert set(seen) == {9, 10}
    assert seen[0] == 10 and seen[5] == 9


def test_fortnightly_and_monthly_spacing() -> None:
    start = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
    assert (following_due(start, frequency="fortnightly", window="morning") - start).days == 14
    assert (following_due(start, frequency="monthly", window="morning") - start).days == 28
