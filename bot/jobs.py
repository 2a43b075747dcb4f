"""The periodic job: due check-ins are read from SQLite, queued and sent; stale ones close;
weekly digests are made. Everything it needs to know is in the database, so a restart
picks up exactly where the last run stopped."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot
from telegram.ext import CallbackContext

from bot.digests import weekly_digests
from bot.outbox_sender import send_pending
from bot.runtime import Runtime, runtime_of
from conversations import checkin as flow
from conversations import schedule as schedules
from storage import checkins, directory
from storage.models import Schedule

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class TickReport:
    opened: int
    expired: int
    sent: int
    digests: int


def _next_due(schedule: Schedule, now: datetime) -> datetime:
    nxt = schedules.following_due(schedule.next_due_at, frequency=schedule.frequency,
                                  window=schedule.time_window, timezone=schedule.timezone)
    if nxt <= now:
        # After long downtime, do not queue a pile of old check-ins: the next is in future.
        nxt = schedules.first_due(now, weekday=schedule.weekday,
                                  window=schedule.time_window, timezone=schedule.timezone)
    return nxt


async def open_due_checkins(rt: Runtime) -> int:
    """Queue every check-in now due; returns how many will be sent. One whose time is
    long past (the bot was down) is recorded as missed rather than sent late."""
    now = rt.clock.now()
    too_late = now - timedelta(hours=rt.config.checkin_expiry_hours)
    opened = 0
    for schedule in await checkins.due_schedules(rt.db, now):
        person = await directory.get_person(rt.db, schedule.person_id)
        if person is None or person.service_id is None or person.chat_id is None:
            continue
        rotation = flow.rotation_key(await checkins.count_checkins(rt.db, person.id))
        queued = await checkins.open_scheduled_checkin(
            rt.db, schedule=schedule, service_id=person.service_id, chat_id=person.chat_id,
            outcome_key=rotation, next_due_at=_next_due(schedule, now), now=now,
            missed=schedule.next_due_at < too_late,
        )
        opened += queued is not None and queued.outbox_id is not None
    return opened


async def run_tick(bot: Bot, rt: Runtime) -> TickReport:
    """One pass of everything time-driven. Safe to run at any moment, and again."""
    async with rt.tick_lock:
        opened = await open_due_checkins(rt)
        expired = await checkins.expire_stale_checkins(
            rt.db, rt.clock.now() - timedelta(hours=rt.config.checkin_expiry_hours)
        )
        digests = await weekly_digests(rt)
        sent = await send_pending(bot, rt)
    if opened or expired or sent or digests:
        log.info("tick: %s opened, %s expired, %s sent, %s digests", opened, expired, sent,
                 digests)
    return TickReport(opened, expired, sent, digests)


async def tick_job(context: CallbackContext) -> None:  # type: ignore[type-arg]
    rt = runtime_of(context)
    if rt.tick_lock.locked():
        return  # a pass is under way already; the next interval will look again
    await run_tick(context.bot, rt)
