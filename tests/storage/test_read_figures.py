"""The read list's figures for reports (issue 29): counted per service from items the
database put on the list itself (messages, photos sent alone), read by staff as /read
keeps it: read within the day (to the millisecond), read late, unread, not yet a day old,
and the oldest unread, at any time before the period's end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from carebot.storage import directory, read_list
from carebot.storage.db import Database
from carebot.storage.models import Role
from carebot.storage.read_figures import ReadFigures, read_figures
from tests.helpers import World, joined, message_on_list, small_world

START = datetime(2026, 11, 16, tzinfo=UTC)
END = START + timedelta(days=7)
NOW = END + timedelta(hours=8)  # the digest's morning


async def _week(db: Database) -> tuple[World, int, int]:
    """Home Care East's week, one read late at Day Centre West, and a third service with
    nothing sent; returns the world and the other two services."""
    world = await small_world(db, START - timedelta(days=30))
    west = await directory.add_service(db, council_id=world.council_id,
                                       provider_id=world.provider_id, name="Day Centre West",
                                       kind="day service", now=START - timedelta(days=30))
    quiet = await directory.add_service(db, council_id=world.council_id,
                                        provider_id=world.provider_id, name="Quiet House",
                                        kind="care home", now=START - timedelta(days=30))
    pat = await joined(db, world, START - timedelta(days=30), telegram_user_id=700,
                       role=Role.PERSON, name="Pat")
    east = world.service_id
    day = timedelta(days=1)
    at = START + timedelta(days=1, hours=10)  # Tuesday 10:00
    await message_on_list(db, pat, east, START - timedelta(days=6))              # before: unread
    await message_on_list(db, pat, east, at, read_at=at + timedelta(hours=2))    # in time
    await message_on_list(db, pat, east, at + day, read_at=at + 2 * day)         # exactly a day
    await message_on_list(db, pat, east, at + day,
                   read_at=at + 2 * day + timedelta(milliseconds=1))      # a moment late
    await message_on_list(db, pat, east, at + 2 * day)                           # unread, late
    await message_on_list(db, pat, east, END - timedelta(hours=4))               # unread, too new
    await message_on_list(db, pat, east, END + timedelta(hours=1))               # after the period
    photo = await read_list.keep_media(db, person_id=pat.id, service_id=east, checkin_id=None,
                                       kinds="photo", file_ids="photo-1", duration=None,
                                       message_id=501, now=at + 3 * day)
    item = await db.scalar("SELECT id FROM read_items WHERE media_id = ?", (photo,))
    await read_list.judge(db, [int(item)], reader_id=pat.id,
                          judgement=read_list.Judgement.NO_CONCERN, now=at + 3 * day)
    await message_on_list(db, pat, west.id, at, read_at=at + 3 * day)            # late
    return world, west.id, quiet.id


async def test_each_service_counts_its_own_messages(db: Database) -> None:
    world, west, quiet = await _week(db)
    found = await read_figures(db, [world.service_id, west, quiet], START, END, NOW)
    assert found[world.service_id] == ReadFigures(
        arrived=6, read_in_time=3, unread=2, too_new=1, not_words=1,  # the photo
        oldest_unread=START - timedelta(days=6))
    assert found[world.service_id].judged == 5
    assert found[west] == ReadFigures(arrived=1, read_in_time=0, unread=0, too_new=0)
    assert found[quiet] == ReadFigures()


async def test_the_hours_to_read_in_can_be_changed(db: Database) -> None:
    world, west, _ = await _week(db)
    found = await read_figures(db, [world.service_id, west], START, END, NOW,
                               read_within_hours=48)
    assert found[world.service_id].read_in_time == 4  # the one a moment late
    assert found[world.service_id].too_new == 1
    assert found[west].read_in_time == 0  # three days
    found = await read_figures(db, [west], START, END, NOW, read_within_hours=72)
    assert found[west].read_in_time == 1


async def test_the_oldest_unread_is_read_at_the_periods_end(db: Database) -> None:
    """Only what arrived before the period's end; once it is read, the next oldest."""
    world, _, _ = await _week(db)
    oldest = await read_list.waiting(db)
    assert [w.oldest for w in oldest] == [START - timedelta(days=6)]
    first = await db.scalar("SELECT MIN(id) FROM read_items")
    await read_list.judge(db, [int(first)], reader_id=1,
                          judgement=read_list.Judgement.NO_CONCERN, now=NOW)
    found = await read_figures(db, [world.service_id], START, END, NOW)
    assert found[world.service_id].oldest_unread == START + timedelta(days=3, hours=10)
    earlier = await read_figures(db, [world.service_id], START - timedelta(days=7), START,
                                 NOW)
    assert earlier[world.service_id] == ReadFigures(arrived=1, read_in_time=0, unread=0)


async def test_no_services_no_figures(db: Database) -> None:
    assert await read_figures(db, [], START, END, NOW) == {}


@pytest.mark.sqlite_only  # SQLite's query planner
async def test_the_figures_are_read_through_the_lists_indexes(db: Database) -> None:
    """The period's items through (service, arrival), the oldest unread through the index
    of unread items: never every item ever sent."""
    world, west, _ = await _week(db)
    said: list[str] = []
    await db.trace(said.append)
    await read_figures(db, [world.service_id, west], START, END, NOW)
    await db.trace(None)
    plans = [" ".join(str(row[3]) for row in await db.fetchall(
        f"EXPLAIN QUERY PLAN {sql}")) for sql in said if "read_items" in sql]
    assert len(plans) == 2
    assert "USING INDEX read_items_by_service (service_id=? AND arrived_at>? AND " \
        "arrived_at<?)" in plans[0], plans[0]
    assert "USING INDEX read_items_unread (service_id=? AND arrived_at<?)" in plans[1], plans[1]
