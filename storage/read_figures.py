"""How well each service's read list is kept up with (issue 29), for the reports: of what
people sent in a period, how much a member of staff read within a day, how much still
waits, and when the oldest thing still waiting was sent. Counts about staff work, not
about people: no names, no words, and nothing for small-number suppression to hide.

Read as the list is now, as open issues are (storage/reporting.py): an item is unread
while nobody has read it. Each query reads the period's items, or only the unread ones,
through the read list's (service, time) indexes (migration 0016)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from carebot.storage.db import Database, Dialect, from_db_time, placeholders, to_db_time

READ_WITHIN_HOURS = 24
_MS_AN_HOUR = 3_600_000


@dataclass(frozen=True)
class ReadFigures:
    """One service's read list for one period. Counts only."""

    arrived: int = 0        # items put on the list in the period
    read_in_time: int = 0   # of those, read within the hours asked
    unread: int = 0         # of those, nobody has read yet
    too_new: int = 0        # of the unread, those that arrived less than the hours before now
    not_words: int = 0      # of the items, voice notes, photos or files sent without words
    oldest_unread: datetime | None = None  # when the oldest unread item arrived, in any
                                           # period before this one's end

    @property
    def judged(self) -> int:
        """The items whose time to be read is over: all but the unread ones still in it."""
        return self.arrived - self.too_new



def _counted(services: int, dialect: Dialect) -> str:
    """The period's items by service. Read within the hours: the gap from arriving to
    being read, in whole milliseconds (the stored times are finer), at most the hours."""
    waited = dialect.milliseconds_between("read_at", "arrived_at")
    return ("SELECT service_id, COUNT(*), "
            f"COUNT(CASE WHEN read_at IS NOT NULL AND {waited} <= ? THEN 1 END), "
            "COUNT(*) - COUNT(read_at), "
            "COUNT(CASE WHEN read_at IS NULL AND arrived_at > ? THEN 1 END), "
            "COUNT(CASE WHEN media_id IS NOT NULL OR EXISTS (SELECT 1 FROM answers a "
            "WHERE a.id = read_items.answer_id AND a.text IS NULL "
            "AND a.media_file_id IS NOT NULL) THEN 1 END) "
            f"FROM read_items WHERE service_id IN ({placeholders(services)}) "
            "AND arrived_at >= ? AND arrived_at < ? GROUP BY service_id")


def _oldest_unread(services: int) -> str:
    """The oldest unread item's arrival by service: read from the index of unread items."""
    return ("SELECT service_id, MIN(arrived_at) FROM read_items "
            f"WHERE service_id IN ({placeholders(services)}) AND read_at IS NULL "
            "AND arrived_at < ? GROUP BY service_id")


async def read_figures(db: Database, services: Sequence[int], start: datetime, end: datetime,
                       now: datetime, *, read_within_hours: float = READ_WITHIN_HOURS) -> dict[
                           int, ReadFigures]:
    """Each service's read list for [start, end), as it is at `now`: items that arrived,
    read within `read_within_hours` of arriving, still unread (and of those, arrived less
    than `read_within_hours` before `now`: not late yet), and the arrival of the oldest
    item still unread that arrived before `end`. Two queries for all the services."""
    if not services:
        return {}
    limit = round(read_within_hours * _MS_AN_HOUR)
    not_late_after = to_db_time(now - timedelta(hours=read_within_hours))
    counted = await db.fetchall(
        _counted(len(services), db.dialect),
        (limit, not_late_after, *services, to_db_time(start), to_db_time(end)))
    oldest = {int(row[0]): from_db_time(row[1]) for row in await db.fetchall(
        _oldest_unread(len(services)), (*services, to_db_time(end)))}
    found = {int(row[0]): ReadFigures(int(row[1]), int(row[2]), int(row[3]), int(row[4]),
                                      int(row[5])) for row in counted}
    return {service: replace(found.get(service, ReadFigures()), oldest_unread=oldest.get(service))
            for service in services}
