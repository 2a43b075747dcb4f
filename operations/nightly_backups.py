"""The nightly backup: once a day after `backup_hour`, a checked copy of the database in
the backup folder, the oldest beyond `backup_keep` removed. It runs in a thread beside
the periodic job, so alerts and check-ins never wait for it; one that fails is logged as
an error and tried again an hour later. And the journal of what was sent since, which a
restore reads so as not to send it again."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from carebot.operations.state import Running
from carebot.storage.backup import BackupError, nightly_backup, nightly_name
from carebot.storage.db import to_db_time
from carebot.storage.models import OutboxMessage
from carebot.storage.reference_floors import references_in
from carebot.storage.sent_journal import SentLine

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(hours=1)


async def start_nightly_backup(rt: Running) -> bool:
    """Start today's backup if it is due and not made yet; True if one was started."""
    config = rt.config
    now = rt.clock.now()
    local = now.astimezone(ZoneInfo(config.timezone))
    if (not config.nightly_backup or config.database_file is None  # PostgreSQL: its DBA's
            or local.hour < config.backup_hour or rt.ops.stopping
            or rt.ops.backup_under_way or (rt.ops.backup_retry_at and now < rt.ops.backup_retry_at)
            or (config.backup_folder / nightly_name(local.date())).exists()):
        return False
    rt.ops.backup_under_way = True
    task = asyncio.create_task(_back_up(rt, local.date()))
    rt.ops.background.add(task)  # stopping waits for it
    task.add_done_callback(rt.ops.background.discard)
    return True


async def _back_up(rt: Running, day: date) -> int:
    config = rt.config
    assert config.database_file is not None  # only a SQLite file is copied here
    try:
        made, gone = await asyncio.to_thread(
            nightly_backup, config.database_file, config.backup_folder, day, config.backup_keep,
            config.journal_folder)
    except (BackupError, OSError, sqlite3.Error) as error:
        rt.ops.backup_retry_at = rt.clock.now() + RETRY_AFTER
        rt.ops.metrics.backups_failed.inc()
        log.error("the nightly backup failed: %s. Trying again in an hour", error)
        return 0
    finally:
        rt.ops.backup_under_way = False
    rt.ops.backup_retry_at = None
    if made is not None:
        rt.ops.metrics.backups_made.inc()
        rt.ops.metrics.last_backup.set(rt.clock.now().timestamp())
        log.info("nightly backup %s written and checked: %s; %d older removed",
                 made.path, made.summary(), len(gone))
    return 1


async def note_sent(rt: Running, item: OutboxMessage, message_id: int,
                    sent_at: datetime) -> None:
    """Note in the journal that `item` went. A journal that cannot be written (its disk
    full or gone) never stops a message: it is said once in the log, and again when
    it works."""
    if rt.ops.sent_journal is None:
        return
    line = SentLine(outbox_id=item.id, chat_id=item.chat_id,
                    created_at=item.created_at, purpose=item.purpose,
                    checkin_id=item.checkin_id, message_id=message_id,
                    sent_at=to_db_time(sent_at), references=references_in(item.text))
    try:
        await asyncio.to_thread(rt.ops.sent_journal.record, line)
    except OSError as error:
        if not rt.ops.journal_failing:
            log.error("cannot note sent messages in %s (%s): a restore from a backup "
                      "would send them again", rt.ops.sent_journal.folder, error)
        rt.ops.journal_failing = True
        return
    if rt.ops.journal_failing:
        log.info("noting sent messages in %s works again", rt.ops.sent_journal.folder)
        rt.ops.journal_failing = False
