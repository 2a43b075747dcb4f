"""When check-ins fall due: a weekday and a time window in the person's own time zone.

All arithmetic is done on local dates and then turned into UTC, so a check-in set for
Tuesday morning stays at 10:00 on Tuesday through the clock changes.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

WINDOW_STARTS = {"morning": time(10, 0), "afternoon": time(14, 0), "evening": time(18, 0)}
FREQUENCY_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 28}
DEFAULT_TIMEZONE = "Europe/London"


def _at(day: datetime, window: str, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day.date(), WINDOW_STARTS[window], tzinfo=zone)
    return local.astimezone(UTC)


def first_due(after: datetime, *, weekday: int, window: str,
              timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """The first moment after `after` that falls on `weekday` (Monday 0) at `window`."""
    zone = ZoneInfo(timezone)
    local_now = after.astimezone(zone)
    for days_ahead in range(8):
        candidate = _at(local_now + timedelta(days=days_ahead), window, zone)
        if candidate.astimezone(zone).weekday() == weekday and candidate > after:
            return candidate
    raise AssertionError("a weekday always comes round within eight days")


def following_due(previous: datetime, *, frequency: str, window: str,
                  timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """The next due moment after `previous`, the same local time `frequency` later."""
    zone = ZoneInfo(timezone)
    local = previous.astimezone(zone) + timedelta(days=FREQUENCY_DAYS[frequency])
    return _at(local, window, zone)
