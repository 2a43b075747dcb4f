"""When check-ins fall due: a day and a time window the person chose, in their time zone.

All arithmetic is on local dates, turned into UTC at the end, so a check-in set for
Tuesday morning stays at 10:00 on Tuesday through the clock changes. A check-in is sent
inside its window or not at all, and nothing is ever sent in quiet hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Each window: (first moment a check-in may go, last moment). None reach quiet hours.
WINDOWS = {
    "morning": (time(10, 0), time(12, 0)),
    "afternoon": (time(14, 0), time(17, 0)),
    "evening": (time(18, 0), time(20, 0)),
}
FREQUENCIES = ("weekly", "fortnightly", "monthly")
FREQUENCY_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 28}
DEFAULT_TIMEZONE = "Europe/London"
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def first_due(after: datetime, *, weekday: int, window: str,
              timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """The first window opening after `after` that falls on `weekday` (Monday is 0)."""
    zone = ZoneInfo(timezone)
    today = after.astimezone(zone).date()
    for days_ahead in range(8):
        day = today + timedelta(days=days_ahead)
        candidate = _local(day, WINDOWS[window][0], zone)
        if day.weekday() == weekday and candidate > after:
            return candidate
    raise AssertionError("a weekday always comes round within eight days")


def following_due(previous: datetime, *, frequency: str, window: str,
                  timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """The next due moment after `previous`: the same local time, `frequency` later."""
    zone = ZoneInfo(timezone)
    day = previous.astimezone(zone).date() + timedelta(days=FREQUENCY_DAYS[frequency])
    return _local(day, WINDOWS[window][0], zone)


def window_closes(due: datetime, *, window: str, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """When the window of the check-in due at `due` closes: after that it is missed."""
    zone = ZoneInfo(timezone)
    return _local(due.astimezone(zone).date(), WINDOWS[window][1], zone)


def in_window(moment: datetime, *, window: str, timezone: str = DEFAULT_TIMEZONE) -> bool:
    local = moment.astimezone(ZoneInfo(timezone)).time()
    opens, closes = WINDOWS[window]
    return opens <= local <= closes


def is_quiet(moment: datetime, timezone: str = DEFAULT_TIMEZONE) -> bool:
    local = moment.astimezone(ZoneInfo(timezone)).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def next_allowed(moment: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """`moment`, or the end of quiet hours if it falls in them: a message that is not
    an answer to the person waits for the morning."""
    if not is_quiet(moment, timezone):
        return moment
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return _local(day, QUIET_UNTIL, zone)
