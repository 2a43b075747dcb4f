"""The running bot's own backups: one checked copy a day after backup_hour, the oldest
pruned beyond backup_keep, a failure logged and tried again an hour later while the bot
goes on answering; one bot per database, so a second one on the same file is refused
before it sends anything; and the journal of what was sent, so that a restore from a
backup taken before a message went does not send it again."""

from __future__ import annotations

import logging
import stat
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from carebot.bot.application import build_application
from carebot.conversations import schedule as schedules
from carebot.emulator.faults import Fault
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage import checkins, directory
from carebot.storage.backup import check_backup, make_backup, nightly_name, restore
from carebot.storage.models import CheckInStatus, Purpose
from carebot.storage.running_lock import DatabaseInUseError
from carebot.storage.sent_journal import read_journal
from tests.engines import file_of
from tests.helpers import World, enrol, small_world, tap_through_checkin

MONDAY = date(2026, 11, 16)  # the tests' clock starts at 08:00 on this day, London time

pytestmark = pytest.mark.sqlite_only  # PostgreSQL's backups are its DBA's


def _nightly(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("carebot-2*.sqlite3"))


async def test_one_checked_copy_a_day_after_the_hour_and_only_the_newest_kept(
        config: Config, clock: SimulatedClock) -> None:
    folder = file_of(config).parent / "nightly"
    nightly = replace(config, nightly_backup=True, backup_hour=9, backup_keep=2,
                      backup_dir=folder)
    async with LocalBot(nightly, clock) as local:
        await local.tick()
        assert not folder.exists() or _nightly(folder) == []  # 08:00: not yet

        clock.advance(timedelta(hours=1))
        await local.tick()
        first = folder / nightly_name(MONDAY)
        assert _nightly(folder) == [first.name]
        assert check_backup(first).rows["schema_migrations"] >= 1
        made_at = first.stat().st_mtime_ns

        clock.advance(timedelta(hours=3))
        await local.tick()
        assert first.stat().st_mtime_ns == made_at  # once a day, not once a tick

        for _ in range(3):
            clock.advance(timedelta(days=1))
            await local.tick()
        assert _nightly(folder) == [nightly_name(MONDAY + timedelta(days=2)),
                                    nightly_name(MONDAY + timedelta(days=3))]


async def test_a_failed_backup_is_logged_tried_an_hour_later_and_the_bot_goes_on(
        config: Config, clock: SimulatedClock, caplog: pytest.LogCaptureFixture) -> None:
    blocked = file_of(config).parent / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    nightly = replace(config, nightly_backup=True, backup_hour=2, backup_dir=blocked)
    caplog.set_level(logging.INFO, logger="carebot.operations.nightly_backups")
    async with LocalBot(nightly, clock) as local:  # its first pass tries at once: 08:00
        failures = [r for r in caplog.records if "nightly backup failed" in r.getMessage()]
        assert len(failures) == 1 and failures[0].levelno == logging.ERROR
        assert local.runtime.ops.backup_retry_at is not None
        assert local.runtime.ops.metrics.registry.get_sample_value(
            "carebot_nightly_backups_failed_total") == 1

        person = local.person(501)
        person.send_text("/start")
        await local.settle()
        assert person.texts()  # the bot still answers

        clock.advance(timedelta(minutes=30))
        await local.tick()
        again = [r for r in caplog.records if "nightly backup failed" in r.getMessage()]
        assert len(again) == 1  # not tried again within the hour

        blocked.unlink()
        clock.advance(timedelta(minutes=31))
        await local.tick()
        assert _nightly(blocked) == [nightly_name(MONDAY)]
        assert local.runtime.ops.backup_retry_at is None
        assert local.runtime.ops.metrics.registry.get_sample_value(
            "carebot_nightly_backups_made_total") == 1


async def test_a_second_bot_on_the_same_database_is_refused_before_it_sends(
        local: LocalBot, clock: SimulatedClock) -> None:
    second = build_application(local.config, clock)
    await second.initialize()
    try:
        assert second.post_init is not None
        with pytest.raises(DatabaseInUseError, match="in use by a running carebot"):
            await second.post_init(second)
    finally:
        await second.shutdown()
        if second.post_shutdown is not None:
            await second.post_shutdown(second)
    assert local.emulator.calls["sendMessage"] == 0  # the refused one sent nothing
    await local.tick()  # and the first still holds its database and works


async def _due_check_in(local: LocalBot, world: World, clock: SimulatedClock) -> int:
    """Sam enrolled, with a check-in due at the next tick; Sam's person id."""
    rt = local.runtime
    await enrol(local, world, 802, "Sam")
    person = await directory.person_by_telegram_id(rt.db, 802)
    assert person is not None
    monday = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    await checkins.set_schedule(rt.db, person_id=person.id, weekday=0, time_window="morning",
                                next_due_at=schedules.first_due(monday - timedelta(days=1),
                                                                weekday=0, window="morning"))
    clock.set(monday)
    return person.id


async def test_a_restore_marks_sent_what_went_after_the_backup_and_asks_nothing_twice(
        local: LocalBot, world: World, clock: SimulatedClock, tmp_path: Path) -> None:
    person_id = await _due_check_in(local, world, clock)
    sam = local.person(802, "Sam")
    before = len(sam.inbox)
    local.emulator.faults.rules.append(Fault("sendMessage", "500", 1))  # Telegram is down
    await local.tick()  # the hello is queued, and waits to be tried again
    assert len(sam.inbox) == before
    backup = make_backup(file_of(local.config), tmp_path / "while-it-waited.sqlite3")
    local.emulator.faults.rules.clear()
    clock.advance(timedelta(minutes=1))
    await local.tick()  # the hello goes: after the backup was taken
    assert len(sam.inbox) == before + 1
    noted = list(read_journal(local.config.journal_folder))
    assert noted[-1].chat_id == 802 and noted[-1].purpose == Purpose.CHECKIN_START
    assert stat.S_IMODE(next(local.config.journal_folder.iterdir()).stat().st_mode) == 0o600

    await local.stop_bot()  # the disk dies; the backup and its journal are elsewhere
    done = restore(backup.path, file_of(local.config), clock.now(), force=True,
                   journal=local.config.journal_folder)
    assert done.journal.marked_sent == 1
    await local.start_bot()
    clock.advance(timedelta(minutes=5))
    await local.tick()
    assert len(sam.inbox) == before + 1  # the hello was not sent again
    checkin = await checkins.open_checkin_of(local.runtime.db, person_id)
    assert checkin is not None and checkin.status is CheckInStatus.SENT
    sam.press_label("Start")  # and Sam carries on from the hello on the screen
    await local.settle()
    assert len(sam.inbox) == before + 2 and sam.last.buttons()


async def test_a_journal_that_cannot_be_written_never_stops_a_message(
        config: Config, clock: SimulatedClock, caplog: pytest.LogCaptureFixture) -> None:
    blocked = file_of(config).parent / "backups-on-a-full-disk"
    blocked.write_text("a file where the backup folder should be")
    async with LocalBot(replace(config, backup_dir=blocked), clock) as local:
        world = await small_world(local.runtime.db, clock.now())
        caplog.set_level(logging.INFO, logger="carebot.operations.nightly_backups")
        sam = await enrol(local, world, 803, "Sam")
        await tap_through_checkin(local, sam, "Start")
        assert len(sam.inbox) >= 3  # the welcome, the hello, a question: all sent
        cannot = [r for r in caplog.records if "cannot note sent messages" in r.getMessage()]
        assert len(cannot) == 1 and cannot[0].levelno == logging.ERROR  # once, not each time
