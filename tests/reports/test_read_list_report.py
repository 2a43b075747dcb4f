"""Every digest and pack says how quickly staff read what people sent (issue 29): per
service, messages read within a day out of how many, and how long the oldest unread one
has waited; a service with nothing sent says so. The counts are staff work, so even one
message is shown where one person's answers would be hidden. The CSV has a row for each."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader

from carebot.reports.figures import build_digest
from carebot.reports.pack_pdf import provider_pack
from carebot.reports.render import digest_html, digest_summary
from carebot.reports.staff_reading import reading_lines
from carebot.reports.tidy_csv import digest_csv
from carebot.storage import directory
from carebot.storage.db import Database
from carebot.storage.models import Role
from carebot.storage.read_figures import ReadFigures
from tests.helpers import World, joined, message_on_list, small_world

START = datetime(2026, 11, 16, tzinfo=UTC)
END = START + timedelta(days=7)
NOW = END + timedelta(hours=8)  # the digest's morning
TUESDAY = START + timedelta(days=1, hours=10)


async def _world(db: Database) -> tuple[World, int]:
    """Home Care East: seven messages this week, five read in time, one late, one unread
    since Thursday, and one unread since the week before; Day Centre West: nothing."""
    world = await small_world(db, START - timedelta(days=30))
    west = await directory.add_service(db, council_id=world.council_id,
                                       provider_id=world.provider_id, name="Day Centre West",
                                       kind="day service", now=START - timedelta(days=30))
    pat = await joined(db, world, START - timedelta(days=30), telegram_user_id=700,
                       role=Role.PERSON, name="Pat")
    for n in range(5):
        at = TUESDAY + timedelta(hours=n)
        await message_on_list(db, pat, world.service_id, at, read_at=at + timedelta(hours=20))
    await message_on_list(db, pat, world.service_id, TUESDAY, read_at=TUESDAY + timedelta(hours=30))
    await message_on_list(db, pat, world.service_id, TUESDAY + timedelta(days=2))
    await message_on_list(db, pat, world.service_id, START - timedelta(days=3))
    return world, west.id


async def test_the_digest_shows_messages_read_within_a_day(db: Database) -> None:
    world, _ = await _world(db)
    digest = await build_digest(db, council_id=world.council_id, start=START, end=END,
                                threshold=3, now=NOW)
    east, west = sorted(digest.services, key=lambda s: s.service != "Home Care East")
    assert east.reading == ReadFigures(arrived=7, read_in_time=5, unread=1, too_new=0,
                                       oldest_unread=START - timedelta(days=3))
    page = digest_html(digest)
    assert "<h3>Did staff read what people sent?</h3>" in page
    assert "<p>Messages read within a day: 5 of 7 (71%).</p>" in page
    assert "<p>Sent in this period and not read yet: 1.</p>" in page
    assert "<p>Oldest not read yet: sent 10 days ago.</p>" in page
    # The service with nothing sent says so plainly.
    assert reading_lines(west.reading or ReadFigures(), NOW) == [
        "Nothing was sent to read in this period.", "Oldest not read yet: none waiting."]
    assert "<p>Nothing was sent to read in this period.</p>" in page
    summary = digest_summary(digest)
    assert ("  Messages read within a day: 5 of 7 (71%). Oldest not read yet: sent 10 days "
            "ago.") in summary.splitlines()
    assert "Day Centre West (Sunrise Care)\n  0 of 0 check-ins done." in summary  # no line


async def test_the_csv_has_a_row_for_each_count(db: Database) -> None:
    world, _ = await _world(db)
    digest = await build_digest(db, council_id=world.council_id, start=START, end=END,
                                threshold=3, now=NOW)
    rows = [r for r in csv.DictReader(io.StringIO(digest_csv(digest)))
            if r["measure"] == "read_list"]
    east = {r["category"]: r["value"] for r in rows if r["service"] == "Home Care East"}
    west = {r["category"]: r["value"] for r in rows if r["service"] == "Day Centre West"}
    assert east == {"arrived": "7", "read_within_a_day": "5", "unread": "1",
                    "unread_less_than_a_day_old": "0", "oldest_unread_days_waiting": "10"}
    assert west == {"arrived": "0", "read_within_a_day": "0", "unread": "0",
                    "unread_less_than_a_day_old": "0"}
    assert {r["week_start"] for r in rows} == {"2026-11-16"}
    assert {r["suppressed"] for r in rows} == {"false"}  # staff work: never hidden


async def test_one_message_is_shown_however_small_the_threshold_hides(db: Database) -> None:
    """One person's answers are hidden below the threshold; one message read is staff
    work, and is shown."""
    world = await small_world(db, START)
    pat = await joined(db, world, START, telegram_user_id=700, role=Role.PERSON, name="Pat")
    await message_on_list(db, pat, world.service_id, TUESDAY, read_at=TUESDAY + timedelta(hours=1))
    digest = await build_digest(db, council_id=world.council_id, start=START, end=END,
                                threshold=5, now=NOW)
    page = digest_html(digest)
    assert "Fewer than 5 people answered" in page
    assert "<p>Messages read within a day: 1 of 1 (100%).</p>" in page
    assert "<p>Oldest not read yet: none waiting.</p>" in page


async def test_a_message_less_than_a_day_old_is_not_late_yet(db: Database) -> None:
    world = await small_world(db, START)
    pat = await joined(db, world, START, telegram_user_id=700, role=Role.PERSON, name="Pat")
    await message_on_list(db, pat, world.service_id, TUESDAY, read_at=TUESDAY + timedelta(days=2))
    await message_on_list(db, pat, world.service_id, END - timedelta(hours=2))
    digest = await build_digest(db, council_id=world.council_id, start=START, end=END,
                                threshold=3, now=NOW)
    (service,) = digest.services
    assert service.reading is not None
    assert reading_lines(service.reading, NOW) == [
        "Messages read within a day: 0 of 1 (0%).",
        "Sent less than a day ago and not read yet: 1. They are not counted yet.",
        "Sent in this period and not read yet: 1.",
        "Oldest not read yet: sent less than a day ago."]
    only_new = await build_digest(db, council_id=world.council_id, start=END - timedelta(
        hours=3), end=END, threshold=3, now=NOW)
    (service,) = only_new.services
    assert service.reading is not None
    assert reading_lines(service.reading, NOW) == [
        "Sent less than a day ago and not read yet: 1. They are not counted yet.",
        "Sent in this period and not read yet: 1.",
        "Oldest not read yet: sent less than a day ago."]


def test_the_oldest_unread_waits_in_whole_days() -> None:
    def oldest(waited: timedelta) -> str:
        return reading_lines(ReadFigures(oldest_unread=NOW - waited), NOW)[-1]

    assert oldest(timedelta(hours=23, minutes=59)) == "Oldest not read yet: sent less than a " \
        "day ago."
    assert oldest(timedelta(days=1)) == "Oldest not read yet: sent 1 day ago."
    assert oldest(timedelta(days=2, hours=23)) == "Oldest not read yet: sent 2 days ago."


async def test_the_pack_shows_it_for_each_service(db: Database, tmp_path: Path) -> None:
    world, _ = await _world(db)
    _, path = await provider_pack(db, world.provider_id, START, END, threshold=3, now=NOW,
                                  path=tmp_path / "pack.pdf")
    pages = [page.extract_text() for page in PdfReader(path).pages]
    east = next(p for p in pages if "Home Care East" in p and "Did staff read" in p)
    west = next(p for p in pages if "Day Centre West" in p and "Did staff read" in p)
    assert "Messages read within a day: 5 of 7 (71%)." in east
    assert "Oldest not read yet: sent 10 days ago." in east
    assert "Nothing was sent to read in this period." in west
    assert "Oldest not read yet: none waiting." in west
    assert "It also counts answers that say they do not feel safe." in east


def test_voice_notes_photos_and_files_are_counted() -> None:
    """What came without words is counted, so a report shows people speak or show as well
    as type (issue 32)."""
    lines = reading_lines(ReadFigures(arrived=4, read_in_time=4, not_words=2), NOW)
    assert "Sent as a voice note, photo or file, with no words: 2." in lines
